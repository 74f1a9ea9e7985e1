import os
import shutil
import subprocess
import sys
import tempfile

PROG = "/app/bin/retry"

tmp = tempfile.mkdtemp()
fake_bin = os.path.join(tmp, "fake bin")
os.makedirs(fake_bin)
LOG = os.path.join(tmp, "events.log")
with open(os.path.join(fake_bin, "sleep"), "w") as fh:
    fh.write('#!/bin/sh\nprintf \'sleep %s\\n\' "$*" >> "$EVENT_LOG"\n')
with open(os.path.join(fake_bin, "flaky"), "w") as fh:
    fh.write(
        "#!/bin/sh\n"
        "# flaky STATE FAILS CODE: fail with CODE for the first FAILS calls, then succeed\n"
        'n=$(cat "$1" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$1"\n'
        'echo "attempt $n" >> "$EVENT_LOG"\n'
        'echo "out $n"; echo "err $n" >&2\n'
        'if [ "$n" -le "$2" ]; then exit "$3"; fi\nexit 0\n'
    )
with open(os.path.join(fake_bin, "printargs"), "w") as fh:
    fh.write(
        '#!/bin/sh\necho "attempt" >> "$EVENT_LOG"\nfor a in "$@"; do printf \'[%s]\\n\' "$a"; done\nexit 4\n'
    )
for name in ("sleep", "flaky", "printargs"):
    os.chmod(os.path.join(fake_bin, name), 0o755)
env = dict(os.environ, PATH=f"{fake_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}", EVENT_LOG=LOG)


def waits(d, b, m, attempts):
    out, w = [], d
    for _ in range(attempts - 1):
        out.append(min(w, m))
        w = min(w * b, m) if w * b > m else w * b
    return out


def expect(opts, fails, code, n=5, d=1, b=2, m=60):
    """Expected (events, retry stderr lines, exit status) for flaky FAILS CODE."""
    events, lines = [], []
    ws = waits(d, b, m, n)
    for k in range(1, n + 1):
        events.append(f"attempt {k}")
        if k > fails:
            return events, lines, 0
        if k == n:
            lines.append(f"retry: giving up after {n} attempts")
            return events, lines, code
        lines.append(f"retry: attempt {k}/{n} failed with status {code}, retrying in {ws[k - 1]} s")
        events.append(f"sleep {ws[k - 1]}")
    raise AssertionError


CASES = [
    ([], 0, 3, {}),
    ([], 2, 1, {}),
    ([], 10, 7, {}),
    (["-n", "4", "-d", "2", "-b", "3", "-m", "10"], 10, 3, {"n": 4, "d": 2, "b": 3, "m": 10}),
    (["-n", "1"], 5, 9, {"n": 1}),
    (["-n", "3", "-d", "0"], 5, 1, {"n": 3, "d": 0}),
    (["-b", "1", "-d", "5", "-n", "4"], 2, 42, {"b": 1, "d": 5, "n": 4}),
    (["-m", "0", "-n", "3"], 9, 2, {"m": 0, "n": 3}),
    (["-n", "12", "-d", "3", "-m", "100"], 20, 255, {"n": 12, "d": 3, "m": 100}),
    (["-n", "6", "-d", "07", "-b", "2", "-m", "40"], 4, 5, {"n": 6, "d": 7, "m": 40}),
    (["-n", "3", "--"], 1, 6, {"n": 3}),
]

failures = []
if not (os.path.isfile(PROG) and os.access(PROG, os.X_OK)):
    sys.exit(f"{PROG} is missing or not executable")
try:
    for k, (opts, fails, code, params) in enumerate(CASES):
        state = os.path.join(tmp, f"state {k}")
        open(LOG, "w").close()
        want_events, want_lines, want_rc = expect(opts, fails, code, **params)
        try:
            proc = subprocess.run(
                [PROG, *opts, "flaky", state, str(fails), str(code)],
                capture_output=True,
                text=True,
                env=env,
                timeout=20,
                cwd=tmp,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            failures.append(f"retry {opts} flaky: timed out (did it call the real sleep?)")
            continue
        with open(LOG) as fh:
            events = fh.read().splitlines()
        label = f"retry {' '.join(opts)} flaky (fails {fails}x with {code})"
        attempts = sum(1 for e in want_events if e.startswith("attempt"))
        lines = [line for line in proc.stderr.splitlines() if line.startswith("retry:")]
        if proc.returncode != want_rc:
            failures.append(f"{label}: exit {proc.returncode}, expected {want_rc}")
        elif events != want_events:
            failures.append(f"{label}: attempts/sleeps {events}, expected {want_events}")
        elif lines != want_lines:
            failures.append(f"{label}: retry messages {lines}, expected {want_lines}")
        elif proc.stdout.splitlines() != [f"out {i}" for i in range(1, attempts + 1)]:
            failures.append(f"{label}: command stdout not passed through: {proc.stdout!r}")
        elif [line for line in proc.stderr.splitlines() if line.startswith("err ")] != [
            f"err {i}" for i in range(1, attempts + 1)
        ]:
            failures.append(f"{label}: command stderr not passed through")

    # arguments arrive unchanged
    open(LOG, "w").close()
    args = ["a b", "*", "", "$HOME", "-n", "'quoted'", 'dq"x', "back\\slash", "new\nline"]
    proc = subprocess.run(
        [PROG, "-n", "2", "-d", "0", "printargs", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
        cwd=tmp,
    )
    want = "".join(f"[{a}]\n" for a in args) * 2
    if proc.stdout != want or proc.returncode != 4:
        failures.append(
            f"retry printargs: arguments changed or wrong status: {proc.stdout[:200]!r} (exit {proc.returncode})"
        )

    # command not found
    open(LOG, "w").close()
    proc = subprocess.run(
        [PROG, "-n", "2", "-d", "3", "no-such-command-xyz"],
        capture_output=True,
        text=True,
        env=env,
        timeout=20,
        cwd=tmp,
    )
    with open(LOG) as fh:
        events = fh.read().splitlines()
    lines = [line for line in proc.stderr.splitlines() if line.startswith("retry:")]
    if (
        proc.returncode != 127
        or events != ["sleep 3"]
        or lines
        != [
            "retry: attempt 1/2 failed with status 127, retrying in 3 s",
            "retry: giving up after 2 attempts",
        ]
    ):
        failures.append(
            f"retry of a missing command: exit {proc.returncode}, events {events}, messages {lines}"
        )

    # usage errors
    marker = os.path.join(tmp, "marker")
    for opts in (
        [],
        ["-n"],
        ["-n", "0"],
        ["-n", "x"],
        ["-x"],
        ["-d", "-1"],
        ["-b", "0"],
        ["-m", "1.5"],
        ["-d", ""],
        ["--"],
        ["-n", "3", "-q"],
    ):
        cmd = [] if opts in ([], ["--"], ["-n"]) else ["touch", marker]
        proc = subprocess.run(
            [PROG, *opts, *cmd], capture_output=True, text=True, env=env, timeout=20, cwd=tmp
        )
        if proc.returncode != 2 or not proc.stderr.strip() or os.path.exists(marker):
            failures.append(
                f"retry {' '.join(opts + cmd)}: exit {proc.returncode}; expected a usage error (exit 2, message, command not run)"
            )
        if os.path.exists(marker):
            os.unlink(marker)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} failing checks, e.g.:")
    print("\n".join(failures[:10]))
    sys.exit(1)
print("ok")
