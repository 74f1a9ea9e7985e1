import collections
import os
import shutil
import subprocess
import sys
import tempfile

SCRIPT = "/app/bin/sort-inbox.sh"


def fail(message):
    print(message)
    sys.exit(1)


def split(name):
    if "." in name and not name.endswith("."):
        stem, e = name.rsplit(".", 1)
        return stem, e, e.lower()
    return name, "", "noext"


def reference(src, dest):
    """Apply the documented behaviour in Python; return the expected stdout."""
    moved = collections.Counter()
    for name in sorted(os.listdir(src), key=os.fsencode):
        path = os.path.join(src, name)
        if name.startswith(".") or os.path.islink(path) or not os.path.isfile(path):
            continue
        stem, e, ext = split(name)
        target = os.path.join(dest, ext, name)
        n = 0
        while os.path.lexists(target):
            n += 1
            target = os.path.join(dest, ext, f"{stem}-{n}.{e}" if e else f"{name}-{n}")
        os.makedirs(os.path.join(dest, ext), exist_ok=True)
        os.rename(path, target)
        moved[ext] += 1
    lines = [f"{ext} {n}" for ext, n in sorted(moved.items(), key=lambda kv: kv[0].encode())]
    return "".join(line + "\n" for line in lines) + f"total {sum(moved.values())}\n"


def tree(root):
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                out[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                out[rel] = ("dir",)
            else:
                with open(path, "rb") as fh:
                    out[rel] = ("file", fh.read())
    return out


def build(root, spec):
    for rel, what in spec.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if what[0] == "link":
            os.symlink(what[1], path)
        elif what[0] == "dir":
            os.makedirs(path, exist_ok=True)
        else:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(what[1])


def scenario(label, src_spec, dest_spec, dest_exists=True):
    base = os.path.join(tmp, label)
    for variant in ("want", "got"):
        os.makedirs(os.path.join(base, variant, "in box"))
        build(os.path.join(base, variant, "in box"), src_spec)
        if dest_exists:
            os.makedirs(os.path.join(base, variant, "sorted out"))
            build(os.path.join(base, variant, "sorted out"), dest_spec)
    want_root = os.path.join(base, "want")
    got_root = os.path.join(base, "got")
    want_out = reference(os.path.join(want_root, "in box"), os.path.join(want_root, "sorted out"))
    try:
        proc = subprocess.run(
            [SCRIPT, "in box", "sorted out"],
            cwd=got_root,
            capture_output=True,
            timeout=30,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired:
        fail(f"{label}: the script timed out")
    if proc.returncode != 0:
        fail(
            f"{label}: exit status {proc.returncode}, stderr: {proc.stderr.decode(errors='replace')[-400:]}"
        )
    got_out = proc.stdout.decode("utf-8", "replace")
    if tree(got_root) != tree(want_root):
        want_t, got_t = tree(want_root), tree(got_root)
        diff = sorted(k for k in set(want_t) | set(got_t) if want_t.get(k) != got_t.get(k))
        fail(f"{label}: wrong files afterwards; differences at {diff[:6]}")
    if got_out != want_out:
        fail(f"{label}: printed {got_out!r}, expected {want_out!r}")


if not (os.path.isfile(SCRIPT) and os.access(SCRIPT, os.X_OK)):
    fail(f"{SCRIPT} is missing or not executable")

F = "file"
tmp = tempfile.mkdtemp()
try:
    src = {
        "my report.pdf": (F, "report\n"),
        "-rf.txt": (F, "dash\n"),
        "*.log": (F, "star\n"),
        "[abc].TXT": (F, "bracket\n"),
        'it\'s "quoted".md': (F, "quotes\n"),
        "Zo\u00eb's caf\u00e9.txt": (F, "unicode\n"),
        "archive.tar.gz": (F, "tgz\n"),
        "Makefile": (F, "all:\n"),
        "trailing.": (F, "dot at end\n"),
        ".hidden.txt": (F, "hidden\n"),
        "UPPER.JPG": (F, "jpg\n"),
        "a-1.txt": (F, "a-1\n"),
        "a.txt": (F, "a\n"),
        "dup.txt": (F, "dup new\n"),
        "two  spaces.txt": (F, "2sp\n"),
        "tab\there.Txt": (F, "tab\n"),
        "$HOME.txt": (F, "dollar\n"),
        "Report.Final.PDF": (F, "final\n"),
        "sub dir.d/inner.txt": (F, "inside\n"),
        "empty dir": ("dir",),
        "link.txt": ("link", "sub dir.d/inner.txt"),
        "zlink.pdf": ("link", ".hidden.txt"),
        "dangling.md": ("link", "nowhere.md"),
    }
    dest = {
        "txt/a.txt": (F, "old a\n"),
        "txt/dup.txt": (F, "old dup\n"),
        "txt/dup-1.txt": (F, "old dup 1\n"),
        "noext/Makefile": (F, "old makefile\n"),
        "pdf/keep.pdf": (F, "keep\n"),
        "gz/archive.tar.gz": (F, "old tgz\n"),
    }
    scenario("tricky", src, dest)
    scenario(
        "fresh destination",
        {"x.csv": (F, "1\n"), "y.CSV": (F, "2\n"), "README": (F, "r\n")},
        {},
        dest_exists=False,
    )
    scenario(
        "nothing to do", {".only-hidden": (F, "h\n"), "d": ("dir",)}, {"csv/old.csv": (F, "o\n")}
    )

    # Usage errors.
    os.makedirs(os.path.join(tmp, "u", "src"))
    with open(os.path.join(tmp, "u", "src", "f.txt"), "w") as fh:
        fh.write("x\n")
    for args in ([], ["src"], ["src", "dst", "extra"], ["missing", "dst"], ["src/f.txt", "dst"]):
        proc = subprocess.run(
            [SCRIPT, *args], cwd=os.path.join(tmp, "u"), capture_output=True, timeout=30
        )
        if proc.returncode != 2 or not proc.stderr.strip() or proc.stdout.strip():
            fail(
                f"usage error {args}: exit {proc.returncode}, stdout {proc.stdout!r}, expected exit 2 with a message on stderr"
            )
        if not os.path.exists(os.path.join(tmp, "u", "src", "f.txt")):
            fail(f"usage error {args}: files were moved")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
