import os
import random
import shutil
import subprocess
import sys
import tempfile

PROG = "/app/bin/bren"


def split_stem(name):
    i = name.rfind(".")
    return (name, "") if i <= 0 else (name[:i], name[i:])


def reference(entries, find, repl, stem):
    """entries: name -> kind. Returns (renames, conflicts) as sorted (old, new) lists."""
    plan = {}
    for name, kind in entries.items():
        if kind != "file":
            continue
        base, ext = split_stem(name) if stem else (name, "")
        if find not in base:
            continue
        new = base.replace(find, repl) + ext
        if new != name:
            plan[name] = new
    counts = {}
    for new in plan.values():
        counts[new] = counts.get(new, 0) + 1
    renames, conflicts = [], []
    for old in sorted(plan, key=lambda s: s.encode()):
        new = plan[old]
        if new in ("", ".", "..") or new in entries or counts[new] > 1:
            conflicts.append((old, new))
        else:
            renames.append((old, new))
    return renames, conflicts


def build(root, entries):
    os.makedirs(root)
    for name, kind in entries.items():
        path = os.path.join(root, name)
        if kind == "file":
            with open(path, "w") as fh:
                fh.write(f"original name: {name}\n")
        elif kind == "dir":
            os.mkdir(path)
            with open(os.path.join(path, f"{name} inside draft.txt"), "w") as fh:
                fh.write("nested\n")
        else:
            os.symlink(kind[len("link:") :], path)


def state(root):
    out = {}
    for name in os.listdir(root):
        path = os.path.join(root, name)
        if os.path.islink(path):
            out[name] = ("link", os.readlink(path))
        elif os.path.isdir(path):
            out[name] = ("dir", tuple(sorted(os.listdir(path))))
        else:
            with open(path) as fh:
                out[name] = ("file", fh.read())
    return out


F = "file"
rng = random.Random(4711)
random_entries = {}
for _ in range(150):
    name = f"{rng.choice(['IMG', 'scan', 'doc', 'Draft', 'draft'])}{rng.choice(['_', ' ', '-', ''])}{rng.randint(1, 400):03d}{rng.choice(['', '_draft', ' draft', '-DRAFT', '.draft'])}{rng.choice(['.jpg', '.JPG', '.txt', '', '.tar.gz'])}"
    random_entries[name] = F

CASES = [
    # (entries, args) ; args are the options + FIND + REPLACE, DIR is appended
    (
        {
            "IMG 001 draft.jpg": F,
            "IMG 002 draft.jpg": F,
            "notes draft.txt": F,
            "keep.txt": F,
            ".draft-config": F,
            "draft-dir": "dir",
            "draft-link": "link:keep.txt",
        },
        [" draft", ""],
    ),
    ({"a-old.txt": F, "a-new.txt": F, "b-old.txt": F, "old": F}, ["old", "new"]),
    (
        {
            "a b.txt": F,
            "a  b.txt": F,
            "c d.txt": F,
            "cd.txt": "dir",
            "e f.txt": F,
            "ef.txt": "link:nowhere",
        },
        [" ", ""],
    ),
    ({"v1.txt": F, "v2.txt": F, "v3.txt": F}, ["v1", "v2"]),
    ({"draft": F, "draft.txt": F, "my draft": F}, ["draft", ""]),
    (
        {"x*.log": F, "x.log": F, "a[1].txt": F, "a1.txt": F, "back\\slash": F, "$HOME.txt": F},
        ["*", "-star-"],
    ),
    ({"x*.log": F, "xy.log": F, "a[1].txt": F, "a1.txt": F}, ["[1]", "(one)"]),
    ({"a.b.c": F, "abc": F, "a.txt": F}, [".", "_"]),
    ({"back\\slash": F, "$HOME.txt": F, "plain": F}, ["\\", "/".replace("/", "_")]),
    ({"$HOME.txt": F, "HOME.txt": F, "$USER.txt": F}, ["$", ""]),
    ({"-rf draft": F, "--help": F, "-n": F}, ["--", "-", "x-"]),
    ({"-rf draft": F, "--help": F, "-n": F, "x-n": F, "a-n-b": F}, ["--", "-n", "_n"]),
    (
        {
            "report.draft.pdf": F,
            "draft.txt": F,
            ".draft": F,
            ".draft.cfg": F,
            "draft.": F,
            "a.draft": F,
            "archive.draft.tar.gz": F,
            "..draft": F,
        },
        ["-s", "draft", "final"],
    ),
    (
        {"report.draft.pdf": F, "draft.txt": F, ".draft": F, "a.draft": F},
        ["--stem-only", "draft", ""],
    ),
    ({"aaa.txt": F, "aaaa.txt": F, "b.txt": F}, ["aa", "b"]),
    ({"café draft.txt": F, "café final.txt": F, "naïve draft.txt": F}, ["draft", "final"]),
    ({"one.txt": F, "two.txt": F}, ["zzz", "y"]),
    ({"one.txt": F, "two.txt": F}, ["o", "o"]),
    (random_entries, ["draft", "final"]),
    (random_entries, ["-s", "_draft", ""]),
    (random_entries, ["--stem-only", "--", "-", " "]),
]

failures = []
if not (os.path.isfile(PROG) and os.access(PROG, os.X_OK)):
    sys.exit(f"{PROG} is missing or not executable")
tmp = tempfile.mkdtemp()
try:
    for k, (entries, args) in enumerate(CASES):
        opts = [a for a in args[:-2] if a != "--"]
        stem = "-s" in opts or "--stem-only" in opts
        renames, conflicts = reference(entries, args[-2], args[-1], stem)
        want_out = "".join(f"{o} -> {n}\n" for o, n in renames)
        want_err = [f"bren: conflict: {o} -> {n}" for o, n in conflicts]
        want_rc = 1 if conflicts else 0
        before = None
        for dry in (True, False):
            root = os.path.join(tmp, f"case {k} {'dry' if dry else 'real'}", "my files")
            build(root, entries)
            before = state(root)
            argv = [PROG, *(["--dry-run" if k % 2 else "-n"] if dry else []), *args, root]
            try:
                proc = subprocess.run(
                    argv, capture_output=True, timeout=20, stdin=subprocess.DEVNULL, cwd=tmp
                )
            except subprocess.TimeoutExpired:
                failures.append(f"case {k}: timed out")
                continue
            label = f"case {k} ({'dry run' if dry else 'real'}, args {args})"
            got_err = [
                line
                for line in proc.stderr.decode(errors="replace").splitlines()
                if line.startswith("bren: conflict: ")
            ]
            if proc.returncode != want_rc:
                failures.append(
                    f"{label}: exit {proc.returncode}, expected {want_rc}; stderr {proc.stderr[-200:]!r}"
                )
            elif proc.stdout.decode(errors="replace") != want_out:
                failures.append(
                    f"{label}: stdout {proc.stdout[:300]!r}, expected {want_out[:300]!r}"
                )
            elif got_err != want_err:
                failures.append(f"{label}: conflict lines {got_err[:4]}, expected {want_err[:4]}")
            after = state(root)
            if dry:
                expected = before
            else:
                expected = dict(before)
                for old, new in renames:
                    expected[new] = expected.pop(old)
            if after != expected:
                diff = sorted(set(after.items()) ^ set(expected.items()))[:4]
                failures.append(f"{label}: directory contents are wrong, e.g. {diff}")
    # usage errors
    good = os.path.join(tmp, "usage")
    build(good, {"draft.txt": F})
    afile = os.path.join(good, "draft.txt")
    for argv in (
        [],
        ["draft", "final"],
        ["draft", "final", good, "extra"],
        ["", "final", good],
        ["draft", "final", os.path.join(tmp, "missing dir")],
        ["draft", "final", afile],
        ["-x", "draft", "final", good],
        ["--bogus", "draft", "final", good],
        ["-n", "draft", "final"],
    ):
        proc = subprocess.run(
            [PROG, *argv], capture_output=True, timeout=20, stdin=subprocess.DEVNULL, cwd=tmp
        )
        if proc.returncode != 2 or proc.stdout or not proc.stderr.strip():
            failures.append(
                f"bren {argv}: exit {proc.returncode}, stdout {proc.stdout[:80]!r}; expected exit 2, a message on stderr and no stdout"
            )
    if state(good) != {"draft.txt": ("file", "original name: draft.txt\n")}:
        failures.append("a usage error renamed something")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} failing checks, e.g.:")
    print("\n".join(failures[:10]))
    sys.exit(1)
print(f"ok: {len(CASES)} cases")
