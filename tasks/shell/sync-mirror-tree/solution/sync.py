"""Make /app/mirror an rsync-style mirror of /app/src (see the task's instruction)."""

import os
import shutil
import stat

SRC, DST = "/app/src", "/app/mirror"


def excluded(name, is_dir):
    return name.endswith((".tmp", "~")) or (is_dir and name == ".cache")


# 1. Collect the source entries (relative path -> lstat), pruning excluded names.
entries = {".": os.lstat(SRC)}
for dirpath, dirnames, filenames in os.walk(SRC):
    keep = []
    for name in dirnames:
        path = os.path.join(dirpath, name)
        if not excluded(name, not os.path.islink(path)):
            keep.append(name)
    dirnames[:] = keep
    for name in dirnames + filenames:
        path = os.path.join(dirpath, name)
        st = os.lstat(path)
        if excluded(name, stat.S_ISDIR(st.st_mode)):
            continue
        entries[os.path.relpath(path, SRC)] = st


def kind(mode):
    return "dir" if stat.S_ISDIR(mode) else "link" if stat.S_ISLNK(mode) else "file"


def remove(path):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


# 2. Delete everything in the mirror that is not in the source or has another type.
os.makedirs(DST, exist_ok=True)
for dirpath, dirnames, filenames in os.walk(DST, topdown=True):
    for name in list(dirnames) + filenames:
        path = os.path.join(dirpath, name)
        rel = os.path.relpath(path, DST)
        st = os.lstat(path)
        want = entries.get(rel)
        if want is None or kind(want.st_mode) != kind(st.st_mode):
            remove(path)
            if name in dirnames:
                dirnames.remove(name)

# 3. Create directories, links and files.
claimed = {}  # mirror inode -> source inode it stands for
first_copy = {}  # source inode -> mirror path already holding it
for rel in sorted(entries):
    st = entries[rel]
    s, d = os.path.join(SRC, rel), os.path.join(DST, rel)
    k = kind(st.st_mode)
    if k == "dir":
        os.makedirs(d, exist_ok=True)
    elif k == "link":
        target = os.readlink(s)
        if not os.path.lexists(d) or os.readlink(d) != target:
            if os.path.lexists(d):
                os.unlink(d)
            os.symlink(target, d)
    else:
        tmp = os.path.join(os.path.dirname(d), ".sync-tmp")
        if st.st_ino in first_copy:  # a further name of a hard-linked source file
            if not os.path.lexists(d) or not os.path.samefile(d, first_copy[st.st_ino]):
                os.link(first_copy[st.st_ino], tmp)
                os.replace(tmp, d)
            continue
        dst_st = os.lstat(d) if os.path.lexists(d) else None
        up_to_date = (
            dst_st is not None
            and dst_st.st_size == st.st_size
            and int(dst_st.st_mtime) == int(st.st_mtime)
            and claimed.get(dst_st.st_ino, st.st_ino) == st.st_ino
        )
        if not up_to_date:
            shutil.copyfile(s, tmp)  # write a new inode, never through existing hard links
            os.replace(tmp, d)
        claimed[os.lstat(d).st_ino] = st.st_ino
        first_copy[st.st_ino] = d

# 4. Modes and times, deepest entries first so that directory times stick.
for rel in sorted(entries, key=lambda r: (-r.count("/"), r)):
    st = entries[rel]
    d = DST if rel == "." else os.path.join(DST, rel)
    if not stat.S_ISLNK(st.st_mode):
        os.chmod(d, stat.S_IMODE(st.st_mode))
    os.utime(d, ns=(st.st_atime_ns, st.st_mtime_ns), follow_symlinks=False)
for rel in sorted(
    (r for r in entries if stat.S_ISDIR(entries[r].st_mode)), key=lambda r: (-r.count("/"), r)
):
    st = entries[rel]
    os.utime(DST if rel == "." else os.path.join(DST, rel), ns=(st.st_atime_ns, st.st_mtime_ns))
