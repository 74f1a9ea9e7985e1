import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time


def fail(message):
    print(message)
    sys.exit(1)


def make(cwd, *args, ok=True):
    try:
        proc = subprocess.run(["make", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        fail(f"make {' '.join(args)} timed out")
    if ok and proc.returncode != 0:
        fail(f"make {' '.join(args)} failed:\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    return proc


def fresh(tmp, label):
    proj = os.path.join(tmp, label)
    os.makedirs(proj)
    shutil.copyfile("/app/wc2/Makefile", os.path.join(proj, "Makefile"))
    for name in ("src", "test"):
        shutil.copytree(os.path.join("/tests/pristine", name), os.path.join(proj, name))
    shutil.copyfile("/tests/pristine/wc2.1", os.path.join(proj, "wc2.1"))
    return proj


def run_wc2(proj, *args, stdin=b""):
    exe = os.path.join(proj, "wc2")
    if not os.access(exe, os.X_OK):
        fail("./wc2 was not built")
    return subprocess.run(
        [exe, *args], input=stdin, capture_output=True, timeout=10
    ).stdout.decode()


if not os.path.isfile("/app/wc2/Makefile"):
    fail("/app/wc2/Makefile is missing")

tmp = tempfile.mkdtemp()
try:
    # 1. Default build and the version define.
    proj = fresh(tmp, "a")
    make(proj)
    if run_wc2(proj, "--version") != "wc2 1.4.2\n":
        fail(f"./wc2 --version printed {run_wc2(proj, '--version')!r}")
    if run_wc2(proj, stdin=b"one two\nthree\n") != "2 3 14 7\n":
        fail("./wc2 does not count correctly")
    proj_v = fresh(tmp, "v")
    make(proj_v, "VERSION=2.0.1")
    if run_wc2(proj_v, "--version") != "wc2 2.0.1\n":
        fail("make VERSION=2.0.1 did not set the version")

    # 2. make test: passes on good cases, fails if any case (also a non-last one) fails.
    future = time.time() + 3600
    os.utime(os.path.join(proj, "test"), (future, future))
    proc = make(proj, "test")
    if (
        "is up to date" in proc.stdout + proc.stderr
        or "Nothing to be done" in proc.stdout + proc.stderr
    ):
        fail("`make test` did not run the tests (is `test` a phony target?)")
    for victim in ("basic", "spaces"):
        bad = fresh(tmp, f"bad-{victim}")
        with open(os.path.join(bad, "test", f"{victim}.out"), "w") as fh:
            fh.write("9 9 9 9\n")
        os.utime(os.path.join(bad, "test"), (future, future))
        if make(bad, "test", ok=False).returncode == 0:
            fail(f"`make test` succeeded although test case {victim} fails")

    # 3. make install with DESTDIR and PREFIX (and a file named `install` present).
    open(os.path.join(proj, "install"), "w").close()
    stage = os.path.join(tmp, "stage")
    make(proj, "install", f"DESTDIR={stage}", "PREFIX=/opt/wc")
    for rel, mode in (("opt/wc/bin/wc2", 0o755), ("opt/wc/share/man/man1/wc2.1", 0o644)):
        path = os.path.join(stage, rel)
        if not os.path.isfile(path):
            fail(f"make install did not create $DESTDIR/{rel}")
        if stat.S_IMODE(os.stat(path).st_mode) != mode:
            fail(
                f"$DESTDIR/{rel} has mode {oct(stat.S_IMODE(os.stat(path).st_mode))}, expected {oct(mode)}"
            )
    with (
        open(os.path.join(stage, "opt/wc/share/man/man1/wc2.1"), "rb") as fh,
        open("/tests/pristine/wc2.1", "rb") as want,
    ):
        if fh.read() != want.read():
            fail("the installed manual page differs from wc2.1")
    out = subprocess.run(
        [os.path.join(stage, "opt/wc/bin/wc2"), "--version"], capture_output=True, text=True
    )
    if out.stdout != "wc2 1.4.2\n":
        fail("the installed wc2 does not work")
    stage2 = os.path.join(tmp, "stage2")
    make(proj, "install", f"DESTDIR={stage2}")
    if not os.path.isfile(os.path.join(stage2, "usr/local/bin/wc2")):
        fail("the default PREFIX is not /usr/local")

    # 4./5. make clean (with files named clean and all present), also on a clean tree.
    for name in ("clean", "all"):
        open(os.path.join(proj, name), "w").close()
    make(proj, "clean")
    for rel in ("wc2", "src/main.o", "src/count.o"):
        if os.path.exists(os.path.join(proj, rel)):
            fail(f"`make clean` left {rel} behind")
    make(proj, "clean")
    make(proj, "all")
    if run_wc2(proj, "--version") != "wc2 1.4.2\n":
        fail("`make all` did not build wc2 when a file named `all` exists")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
