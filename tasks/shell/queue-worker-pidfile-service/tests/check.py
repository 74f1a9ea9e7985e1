import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

QW = "/app/bin/qworker"
started_pids = set()


def fail(message):
    print(message)
    cleanup()
    sys.exit(1)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def cleanup():
    for pid in started_pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def read(path):
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return None


def qw(command, timeout=10):
    begin = time.monotonic()
    try:
        proc = subprocess.run(
            [QW, command],
            env=ENV,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        fail(
            f"`qworker {command}` did not return within {timeout} s (does the worker keep the caller's output open?)"
        )
    return proc, time.monotonic() - begin


def pidfile_pid():
    text = read(PIDFILE)
    if text is None:
        return None
    if not text.endswith("\n") or not text.strip().isdigit():
        fail(f"the pid file does not hold one decimal PID line: {text!r}")
    return int(text)


def wait_for(cond, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.05)
    fail(f"timed out waiting for {what}")


def drop(name, lines):
    tmp_path = os.path.join(INCOMING, "." + name + ".tmp")
    with open(tmp_path, "w") as fh:
        fh.write("".join(line + "\n" for line in lines))
    os.rename(tmp_path, os.path.join(INCOMING, name))


def upper(lines):
    return "".join(line.upper() + "\n" for line in lines)


def start_ok(label):
    proc, took = qw("start")
    if proc.returncode != 0:
        fail(f"{label}: `qworker start` exited {proc.returncode}: {proc.stderr[-300:]}")
    if took > 5:
        fail(f"{label}: `qworker start` took {took:.1f} s")
    pid = pidfile_pid()
    if pid is None or not alive(pid):
        fail(f"{label}: after start, the pid file does not name a running process ({pid})")
    started_pids.add(pid)
    return pid


if not (os.path.isfile(QW) and os.access(QW, os.X_OK)):
    print(f"{QW} is missing or not executable")
    sys.exit(1)

tmp = tempfile.mkdtemp()
try:
    QUEUE = os.path.join(tmp, "queue dir")
    INCOMING = os.path.join(QUEUE, "incoming")
    DONE = os.path.join(QUEUE, "done")
    PIDFILE = os.path.join(tmp, "run", "qw.pid")
    LOG = os.path.join(tmp, "run", "qw.log")
    os.makedirs(os.path.dirname(PIDFILE))
    ENV = {
        **os.environ,
        "QW_QUEUE": QUEUE,
        "QW_PIDFILE": PIDFILE,
        "QW_LOG": LOG,
        "QW_DELAY": "0.05",
    }

    proc, _ = qw("status")
    if proc.returncode != 3 or proc.stdout.strip() != "stopped":
        fail(
            f"status without a pid file: exit {proc.returncode}, output {proc.stdout!r}; expected 3 / 'stopped'"
        )
    proc, _ = qw("stop")
    if proc.returncode != 0:
        fail(f"stop while not running exited {proc.returncode}")
    proc, _ = qw("bogus")
    if proc.returncode != 2:
        fail(f"`qworker bogus` exited {proc.returncode}, expected 2")

    pid = start_ok("first start")
    proc, _ = qw("status")
    if proc.returncode != 0 or proc.stdout.strip() != f"running {pid}":
        fail(f"status while running: exit {proc.returncode}, output {proc.stdout!r}")
    proc, _ = qw("start")
    if proc.returncode != 1 or pidfile_pid() != pid:
        fail(f"a second start exited {proc.returncode} (expected 1) or changed the pid file")

    # Normal processing.
    wait_for(
        lambda: os.path.isdir(INCOMING) and os.path.isdir(DONE),
        5,
        "the worker to create incoming/ and done/",
    )
    items = {"a.txt": ["alpha one", "Mixed Case 123"], "b.txt": ["bravo", "", "tail line"]}
    for name, lines in items.items():
        drop(name, lines)
    wait_for(
        lambda: all(read(os.path.join(DONE, n)) is not None for n in items),
        15,
        "a.txt and b.txt to be processed",
    )
    for name, lines in items.items():
        if read(os.path.join(DONE, name)) != upper(lines):
            fail(f"done/{name} is {read(os.path.join(DONE, name))!r}")
    wait_for(lambda: not os.listdir(INCOMING), 5, "incoming/ to be empty")

    # Graceful stop in the middle of an item.
    big = [f"line number {i} of the big item" for i in range(40)]
    drop("m-big.txt", big)
    drop("z1.txt", ["zulu one"])
    drop("z2.txt", ["zulu two"])
    wait_for(
        lambda: os.path.exists(os.path.join(DONE, "m-big.txt.part")),
        10,
        "processing of m-big.txt to start",
    )
    proc, took = qw("stop", timeout=30)
    if proc.returncode != 0:
        fail(f"stop exited {proc.returncode}")
    if alive(pid):
        fail("the worker is still running after `qworker stop` returned")
    if read(os.path.join(DONE, "m-big.txt")) != upper(big):
        fail("the item being processed at stop time was not completed (graceful shutdown)")
    if os.path.exists(os.path.join(DONE, "m-big.txt.part")) or os.path.exists(
        os.path.join(INCOMING, "m-big.txt")
    ):
        fail("m-big.txt was not finished cleanly (.part file or incoming file left)")
    if sorted(os.listdir(INCOMING)) != ["z1.txt", "z2.txt"]:
        fail(
            f"the worker started new items after SIGTERM: incoming/ holds {sorted(os.listdir(INCOMING))}"
        )
    if os.path.exists(PIDFILE):
        fail("the pid file is still there after stop")
    log = read(LOG) or ""
    for line in (
        f"started pid={pid}",
        "processed a.txt",
        "processed b.txt",
        "processed m-big.txt",
        f"stopped pid={pid}",
    ):
        if line not in log.splitlines():
            fail(f"the log lacks the line {line!r}")

    # Stale pid file.
    dead = subprocess.Popen(["true"])
    dead.wait()
    with open(PIDFILE, "w") as fh:
        fh.write(f"{dead.pid}\n")
    proc, _ = qw("status")
    if proc.returncode != 1:
        fail(f"status with a stale pid file exited {proc.returncode}, expected 1")
    pid2 = start_ok("start over a stale pid file")
    if pid2 == dead.pid:
        fail("start kept the stale pid")
    wait_for(
        lambda: not os.listdir(INCOMING), 10, "z1.txt and z2.txt to be processed after the restart"
    )

    # SIGTERM sent directly to the worker also shuts it down gracefully.
    big2 = [f"second big item {i}" for i in range(30)]
    drop("n-big.txt", big2)
    wait_for(
        lambda: os.path.exists(os.path.join(DONE, "n-big.txt.part")),
        10,
        "processing of n-big.txt to start",
    )
    os.kill(pid2, signal.SIGTERM)
    wait_for(lambda: not alive(pid2), 15, "the worker to exit after SIGTERM")
    if read(os.path.join(DONE, "n-big.txt")) != upper(big2):
        fail("after a direct SIGTERM the current item was not completed")
    if os.path.exists(PIDFILE):
        fail("the worker did not remove its pid file on SIGTERM")
    proc, _ = qw("status")
    if proc.returncode != 3:
        fail(f"status after the worker stopped exited {proc.returncode}, expected 3")
finally:
    cleanup()
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
