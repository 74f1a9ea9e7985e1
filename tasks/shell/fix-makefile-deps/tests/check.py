import os
import shutil
import subprocess
import sys
import tempfile
import time


def fail(message):
    print(message)
    sys.exit(1)


def make(cwd, *args):
    try:
        proc = subprocess.run(["make", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        fail(f"make {' '.join(args)} timed out")
    if proc.returncode != 0:
        fail(f"make {' '.join(args)} failed:\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    return proc


def calc(cwd, want):
    exe = os.path.join(cwd, "build", "calc")
    if not os.access(exe, os.X_OK):
        fail("build/calc was not built")
    out = subprocess.run([exe, "7", "5"], capture_output=True, text=True, timeout=10).stdout.strip()
    if out != want:
        fail(f"build/calc 7 5 printed {out!r}, expected {want!r} (stale build?)")


def age_build(cwd, when):
    for dirpath, _, files in os.walk(os.path.join(cwd, "build")):
        for name in files:
            os.utime(os.path.join(dirpath, name), (when, when))


def snapshot(cwd):
    out = {}
    for dirpath, _, files in os.walk(os.path.join(cwd, "build")):
        for name in files:
            path = os.path.join(dirpath, name)
            out[path] = os.stat(path).st_mtime_ns
    return out


def edit(path, old, new):
    with open(path) as fh:
        text = fh.read()
    assert old in text
    with open(path, "w") as fh:
        fh.write(text.replace(old, new))
    now = time.time()
    os.utime(path, (now, now))


if not os.path.isfile("/app/calc/Makefile"):
    fail("/app/calc/Makefile is missing")

tmp = tempfile.mkdtemp()
try:
    proj = os.path.join(tmp, "calc")
    # The agent's build files with pristine sources and no prebuilt outputs.
    shutil.copytree(
        "/app/calc",
        proj,
        symlinks=True,
        ignore=lambda d, names: [n for n in names if d == "/app/calc" and n in ("src", "build")],
    )
    shutil.copytree("/tests/pristine/src", os.path.join(proj, "src"))
    base = time.time() - 1000
    for name in os.listdir(os.path.join(proj, "src")):
        os.utime(os.path.join(proj, "src", name), (base, base))

    make(proj, "-j4")
    for obj in ("main.o", "mathx.o", "strutil.o"):
        if not os.path.isfile(os.path.join(proj, "build", obj)):
            fail(f"build/{obj} was not produced")
    calc(proj, "36:2:3")

    age_build(proj, base + 100)
    before = snapshot(proj)
    make(proj)
    if snapshot(proj) != before:
        fail("a second `make` without changes rebuilt something")

    steps = [
        ("mathx.h", "#define SCALE 3", "#define SCALE 5", "60:2:5"),
        ("strutil.h", '#define SEP ":"', '#define SEP ","', "60,2,5"),
        ("mathx.c", "return (a + b) * SCALE;", "return (a + b) * SCALE + 1;", "61,2,5"),
        ("main.c", "clamp(a - b, 0, 100)", "clamp(a - b, 0, 1) + 40", "61,41,5"),
    ]
    for name, old, new, want in steps:
        age_build(proj, base + 100)
        edit(os.path.join(proj, "src", name), old, new)
        make(proj)
        calc(proj, want)

    make(proj, "clean")
    if os.path.exists(os.path.join(proj, "build")):
        fail("`make clean` left build/ behind")
    make(proj, "-j4")
    calc(proj, "61,41,5")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
