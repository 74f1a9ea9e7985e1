import os
import shutil
import stat
import subprocess
import sys
import tempfile

SUP = "/app/bin/supervise"


def fail(message):
    print(message)
    sys.exit(1)


def script(path, body):
    with open(path, "w") as fh:
        fh.write("#!/bin/sh\n" + body)
    os.chmod(path, 0o755)
    return path


def run(args, label, stdin=b""):
    try:
        return subprocess.run([SUP, *args], capture_output=True, timeout=60, input=stdin, cwd=tmp)
    except subprocess.TimeoutExpired:
        fail(f"{label}: supervise timed out")


def read(path):
    try:
        with open(path) as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def expect(label, args, want_rc, want_log, log, prefix=""):
    proc = run(args, label)
    if proc.returncode != want_rc:
        fail(
            f"{label}: exit status {proc.returncode}, expected {want_rc} (stderr: {proc.stderr[-300:]!r})"
        )
    got = read(log)
    if got != prefix + "".join(line + "\n" for line in want_log):
        fail(f"{label}: log is {got!r}, expected {want_log}")
    return proc


if not (os.path.isfile(SUP) and os.access(SUP, os.X_OK)):
    fail(f"{SUP} is missing or not executable")

tmp = tempfile.mkdtemp()
try:
    # Flaky worker: fails (status 3) until the third attempt; output passes through.
    flaky = script(
        os.path.join(tmp, "flaky worker.sh"),
        'echo "out $SUPERVISE_ATTEMPT"\necho "err $SUPERVISE_ATTEMPT" >&2\n'
        '[ "$SUPERVISE_ATTEMPT" -ge 3 ] && exit 0\nexit 3\n',
    )
    log = os.path.join(tmp, "logs dir", "flaky.log")
    os.makedirs(os.path.dirname(log))
    with open(log, "w") as fh:
        fh.write("previous line\n")
    proc = expect(
        "flaky worker",
        ["5", log, flaky],
        0,
        ["attempt=1 exit=3", "attempt=2 exit=3", "attempt=3 exit=0", "result=success attempts=3"],
        log,
        prefix="previous line\n",
    )
    if proc.stdout != b"out 1\nout 2\nout 3\n" or proc.stderr != b"err 1\nerr 2\nerr 3\n":
        fail(f"flaky worker: output not passed through: {proc.stdout!r} {proc.stderr!r}")

    # Always failing: gives up after MAX_RESTARTS + 1 runs with the last status.
    bad = script(os.path.join(tmp, "bad.sh"), "exit $((6 + SUPERVISE_ATTEMPT))\n")
    log = os.path.join(tmp, "bad.log")
    expect(
        "failing worker",
        ["2", log, bad],
        9,
        ["attempt=1 exit=7", "attempt=2 exit=8", "attempt=3 exit=9", "result=failed attempts=3"],
        log,
    )
    log = os.path.join(tmp, "zero.log")
    expect(
        "MAX_RESTARTS=0", ["0", log, bad], 7, ["attempt=1 exit=7", "result=failed attempts=1"], log
    )
    log = os.path.join(tmp, "leading zero.log")
    expect(
        "MAX_RESTARTS=010",
        ["010", log, bad],
        17,
        [f"attempt={i} exit={6 + i}" for i in range(1, 12)] + ["result=failed attempts=11"],
        log,
    )

    # Killed by signals.
    killed = script(
        os.path.join(tmp, "killed.sh"),
        '[ "$SUPERVISE_ATTEMPT" = 1 ] && kill -KILL $$\n[ "$SUPERVISE_ATTEMPT" = 2 ] && kill -TERM $$\nexit 0\n',
    )
    log = os.path.join(tmp, "killed.log")
    expect(
        "signal-killed worker",
        ["3", log, killed],
        0,
        [
            "attempt=1 exit=137",
            "attempt=2 exit=143",
            "attempt=3 exit=0",
            "result=success attempts=3",
        ],
        log,
    )

    # Arguments arrive unchanged.
    argv_out = os.path.join(tmp, "argv.txt")
    log = os.path.join(tmp, "args.log")
    args = ["two  spaces", 'it\'s "quoted"', "*", "$HOME", "-n", ""]
    expect(
        "argument passing",
        [
            "1",
            log,
            sys.executable,
            "-c",
            f"import sys; open({argv_out!r}, 'w').write(repr(sys.argv[1:]))",
            *args,
        ],
        0,
        ["attempt=1 exit=0", "result=success attempts=1"],
        log,
    )
    if read(argv_out) != repr(args):
        fail(f"arguments were changed: {read(argv_out)} instead of {args!r}")

    # Missing command: status 127 each time.
    log = os.path.join(tmp, "missing.log")
    expect(
        "missing command",
        ["1", log, os.path.join(tmp, "no-such-worker")],
        127,
        ["attempt=1 exit=127", "attempt=2 exit=127", "result=failed attempts=2"],
        log,
    )

    # Usage errors.
    marker = os.path.join(tmp, "ran")
    ulog = os.path.join(tmp, "u.log")
    touch = ["sh", "-c", f"touch '{marker}'"]
    for args in (
        [],
        ["1"],
        ["1", ulog],
        ["x", ulog, *touch],
        ["-1", ulog, *touch],
        ["1.5", ulog, *touch],
        ["", ulog, *touch],
    ):
        proc = run(args, f"usage {args[:2]}")
        if proc.returncode != 2 or not proc.stderr.strip():
            fail(
                f"usage error {args[:2]}: exit {proc.returncode}, expected 2 with a message on stderr"
            )
        if os.path.exists(marker) or read(ulog):
            fail(f"usage error {args[:2]}: the command was run or the log written")
    mode = os.stat(SUP).st_mode
    if not mode & stat.S_IXUSR:
        fail("supervise is not executable")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
