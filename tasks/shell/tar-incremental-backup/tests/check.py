import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile


def tree(root):
    """Relative path -> (kind, content hash, mode) for everything below root, .tmp files excluded."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            st = os.lstat(path)
            if stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", None, None)
            elif name.endswith(".tmp"):
                continue
            else:
                with open(path, "rb") as fh:
                    out[rel] = (
                        "file",
                        hashlib.sha256(fh.read()).hexdigest(),
                        stat.S_IMODE(st.st_mode),
                    )
    return out


def describe(want, got):
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    changed = sorted(k for k in set(want) & set(got) if want[k] != got[k])
    return f"missing {missing[:4]}, unexpected {extra[:4]}, different {changed[:4]}"


tmp = tempfile.mkdtemp()
try:
    subprocess.run([sys.executable, "/tests/make_data.py", tmp], check=True)
    before = tree(os.path.join(tmp, "data"))
    subprocess.run(["bash", "/tests/apply-changes.sh", os.path.join(tmp, "data")], check=True)
    after = tree(os.path.join(tmp, "data"))
    changed = {rel for rel, e in after.items() if e[0] == "file" and before.get(rel) != e}
    assert len(changed) >= 6, changed

    if tree("/app/data") != after:
        sys.exit(
            "/app/data is not in the state after running apply-changes.sh once: "
            + describe(after, tree("/app/data"))
        )
    full, incr = "/app/backups/data-full.tar.gz", "/app/backups/data-incr-1.tar.gz"
    for path in (full, incr):
        if not os.path.isfile(path):
            sys.exit(f"{path} is missing")
        listing = subprocess.run(
            ["tar", "--list", "--incremental", "-vv", "--gzip", "--file", path],
            capture_output=True,
            text=True,
        )
        if listing.returncode != 0:
            sys.exit(
                f"{path} is not a readable gzip-compressed tar archive: {listing.stderr[-300:]}"
            )
        if not any(line[:2] in ("Y ", "N ", "D ") for line in listing.stdout.splitlines()):
            sys.exit(f"{path} was not created with --listed-incremental (no dumpdir entries)")
        names = subprocess.run(
            ["tar", "--list", "--gzip", "--file", path], capture_output=True, text=True
        ).stdout.splitlines()
        if any(not (n == "data/" or n.startswith("data/")) for n in names):
            sys.exit(f"{path}: member names must start with data/: {names[:3]}")
        if any(n.endswith(".tmp") for n in names):
            sys.exit(f"{path} contains .tmp files")

    restore = os.path.join(tmp, "restore")
    os.makedirs(restore)
    subprocess.run(
        [
            "tar",
            "--extract",
            "--listed-incremental=/dev/null",
            "--gzip",
            "--file",
            full,
            "-C",
            restore,
        ],
        check=True,
    )
    if tree(os.path.join(restore, "data")) != before:
        sys.exit(
            "restoring the full backup does not give the state before the changes: "
            + describe(before, tree(os.path.join(restore, "data")))
        )
    subprocess.run(
        [
            "tar",
            "--extract",
            "--listed-incremental=/dev/null",
            "--gzip",
            "--file",
            incr,
            "-C",
            restore,
        ],
        check=True,
    )
    if tree(os.path.join(restore, "data")) != after:
        sys.exit(
            "restoring full + incremental does not give the state after the changes: "
            + describe(after, tree(os.path.join(restore, "data")))
        )

    names = subprocess.run(
        ["tar", "--list", "--gzip", "--file", incr], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    files = {n[len("data/") :] for n in names if not n.endswith("/")}
    unchanged = sorted(files - changed)
    if unchanged:
        sys.exit(f"the incremental archive contains unchanged files: {unchanged[:5]}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
