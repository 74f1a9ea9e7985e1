import os
import shutil
import subprocess
import sys
import tempfile
import time

TRACKED = [
    "build/main.o",
    "build/util.o",
    "build/log.o",
    "build/errors.o",
    "build/errkit",
    "gen/errors.h",
    "gen/errors.c",
    "gen/version.h",
]


def fail(message):
    print(message)
    sys.exit(1)


def make(cwd, *args):
    log = os.path.join(tmp, "genlog")
    open(log, "w").close()
    env = {**os.environ, "GENLOG": log}
    try:
        proc = subprocess.run(
            ["make", *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env
        )
    except subprocess.TimeoutExpired:
        fail(f"make {' '.join(args)} timed out")
    if proc.returncode != 0:
        fail(f"make {' '.join(args)} failed:\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    with open(log) as fh:
        runs = fh.read().split()
    return {"generr": runs.count("generr"), "mkversion": runs.count("mkversion")}


def snapshot(cwd):
    out = {}
    for rel in TRACKED:
        path = os.path.join(cwd, rel)
        if os.path.exists(path):
            out[rel] = os.stat(path).st_mtime_ns
    return out


def age(cwd, base):
    """Everything gets an old timestamp; outputs are newer than sources."""
    for dirpath, _, files in os.walk(cwd):
        for name in files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, cwd)
            stamp = base + 100 if rel.startswith(("build/", "gen/")) else base
            os.utime(path, (stamp, stamp))


def expected_output(cwd):
    with open(os.path.join(cwd, "VERSION")) as fh:
        version = fh.readline().strip()
    codes = {}
    with open(os.path.join(cwd, "errors.def")) as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 3 or line.lstrip().startswith("#"):
                continue
            codes[int(parts[1])] = (parts[0], line[line.index('"') + 1 : line.rindex('"')])
    with open(os.path.join(cwd, "src/util.h")) as fh:
        limit = next(line.split()[2] for line in fh if line.startswith("#define LIST_LIMIT"))
    with open(os.path.join(cwd, "src/log.h")) as fh:
        prefix = next(line.split('"')[1] for line in fh if line.startswith("#define LOG_PREFIX"))
    lines = [f"{prefix} {version}", f"codes: {len(codes)} (limit {limit})"]
    for code in (13, 11, 99):
        name, msg = codes.get(code, ("E_UNKNOWN", "unknown error"))
        lines.append(f"{code} {name}: {msg}")
    lines.append("x: not a number")
    return "\n".join(lines) + "\n"


def check_program(cwd, label):
    exe = os.path.join(cwd, "build", "errkit")
    if not os.access(exe, os.X_OK):
        fail(f"{label}: build/errkit was not built")
    got = subprocess.run(
        [exe, "13", "11", "99", "x"], capture_output=True, text=True, timeout=10
    ).stdout
    if got != expected_output(cwd):
        fail(
            f"{label}: build/errkit printed {got!r}, expected {expected_output(cwd)!r} (stale build?)"
        )


def edit(path, old, new):
    with open(path) as fh:
        text = fh.read()
    if old is None:
        text += new
    else:
        assert old in text, (path, old)
        text = text.replace(old, new)
    with open(path, "w") as fh:
        fh.write(text)
    now = time.time()
    os.utime(path, (now, now))


def fresh(label):
    proj = os.path.join(tmp, label)
    shutil.copytree("/tests/pristine", proj)
    shutil.copyfile("/app/errkit/Makefile", os.path.join(proj, "Makefile"))
    return proj


if not os.path.isfile("/app/errkit/Makefile"):
    fail("/app/errkit/Makefile is missing")

tmp = tempfile.mkdtemp()
try:
    # Fresh builds: serial once, parallel several times.
    for i, args in enumerate([(), ("-j8",), ("-j8",), ("-j8",)]):
        proj = fresh(f"fresh{i}")
        runs = make(proj, *args)
        if runs != {"generr": 1, "mkversion": 1}:
            fail(
                f"fresh `make {' '.join(args)}` ran the generators {runs} times, expected once each"
            )
        check_program(proj, f"fresh `make {' '.join(args)}`")

    base = time.time() - 1000
    age(proj, base)
    before = snapshot(proj)
    runs = make(proj)
    if snapshot(proj) != before or any(runs.values()):
        fail("a second `make` without changes rebuilt or regenerated something")

    link = {"build/errkit"}
    steps = [
        (
            "errors.def",
            None,
            'E_AGAIN       11    "resource temporarily unavailable"\n',
            "-j8",
            {"generr": 1, "mkversion": 0},
            {"gen/errors.h", "gen/errors.c", "build/main.o", "build/util.o", "build/errors.o"}
            | link,
        ),
        (
            "VERSION",
            "1.2.0",
            "1.3.0-beta",
            "",
            {"generr": 0, "mkversion": 1},
            {"gen/version.h", "build/main.o", "build/log.o"} | link,
        ),
        (
            "src/util.h",
            "LIST_LIMIT 100",
            "LIST_LIMIT 250",
            "-j8",
            {"generr": 0, "mkversion": 0},
            {"build/main.o", "build/util.o"} | link,
        ),
        (
            "src/log.h",
            '"errkit"',
            '"ERRKIT"',
            "",
            {"generr": 0, "mkversion": 0},
            {"build/main.o", "build/log.o"} | link,
        ),
        (
            "src/util.c",
            None,
            "/* parser */\n",
            "",
            {"generr": 0, "mkversion": 0},
            {"build/util.o"} | link,
        ),
        (
            "tools/generr.sh",
            None,
            "# tweaked\n",
            "-j8",
            {"generr": 1, "mkversion": 0},
            {"gen/errors.h", "gen/errors.c", "build/main.o", "build/util.o", "build/errors.o"}
            | link,
        ),
        (
            "tools/mkversion.sh",
            None,
            "# tweaked\n",
            "",
            {"generr": 0, "mkversion": 1},
            {"gen/version.h", "build/main.o", "build/log.o"} | link,
        ),
    ]
    for rel, old, new, jobs, want_runs, want_changed in steps:
        age(proj, base)
        before = snapshot(proj)
        edit(os.path.join(proj, rel), old, new)
        runs = make(proj, *([jobs] if jobs else []))
        changed = {k for k, v in snapshot(proj).items() if before.get(k) != v}
        if runs != want_runs:
            fail(f"after changing {rel}: generators ran {runs}, expected {want_runs}")
        if changed != want_changed:
            fail(
                f"after changing {rel}: rebuilt {sorted(changed)}, expected exactly {sorted(want_changed)}"
            )
        check_program(proj, f"after changing {rel}")

    make(proj, "clean")
    for d in ("build", "gen"):
        if os.path.exists(os.path.join(proj, d)):
            fail(f"`make clean` did not remove {d}/")
    runs = make(proj, "-j8")
    if runs != {"generr": 1, "mkversion": 1}:
        fail(f"`make -j8` after `make clean` ran the generators {runs} times")
    check_program(proj, "rebuild after clean")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
