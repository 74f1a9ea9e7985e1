import os
import shutil
import subprocess
import sys
import tempfile
import time

PRUN = "/app/bin/prun"


def fail(message):
    print(message)
    sys.exit(1)


def write(path, text):
    with open(path, "w") as fh:
        fh.write(text)


def read(path):
    try:
        with open(path) as fh:
            return fh.read()
    except OSError:
        return None


def run(args, cwd, label, timeout=60):
    start = time.monotonic()
    try:
        proc = subprocess.run(
            [PRUN, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        fail(f"{label}: prun timed out")
    return proc, time.monotonic() - start


def events(log):
    out = []
    for line in (read(log) or "").splitlines():
        kind, k, ts = line.split()
        out.append((float(ts), 0 if kind == "end" else 1, kind, int(k)))
    return sorted(out)


def max_overlap(evts):
    cur = best = 0
    for _, _, kind, _ in evts:
        cur += 1 if kind == "start" else -1
        best = max(best, cur)
    return best


def check_results(outdir, jobs, statuses, label):
    want = "".join(
        f"{i}\t{s}\t{cmd}\n" for i, (cmd, s) in enumerate(zip(jobs, statuses, strict=True), start=1)
    )
    got = read(os.path.join(outdir, "results.tsv"))
    if got != want:
        fail(f"{label}: results.tsv is\n{got!r}\nexpected\n{want!r}")
    for i in range(1, len(jobs) + 1):
        for ext in ("out", "err"):
            if read(os.path.join(outdir, f"{i}.{ext}")) is None:
                fail(f"{label}: {i}.{ext} is missing")


if not (os.path.isfile(PRUN) and os.access(PRUN, os.X_OK)):
    fail(f"{PRUN} is missing or not executable")

tmp = tempfile.mkdtemp()
try:
    probe = os.path.join(tmp, "probe.sh")
    write(
        probe,
        '#!/bin/sh\necho "start $2 $(date +%s.%N)" >> "$1"\nsleep "$3"\necho "end $2 $(date +%s.%N)" >> "$1"\nexit "${4:-0}"\n',
    )
    os.chmod(probe, 0o755)
    work = os.path.join(tmp, "work dir")
    os.makedirs(work)

    # A: one long job and many short ones with -j 2: slots must be refilled at once.
    log = os.path.join(tmp, "a.log")
    jobs = [f"'{probe}' '{log}' 1 2.5"] + [f"'{probe}' '{log}' {k} 0.1" for k in range(2, 9)]
    write(os.path.join(work, "a.jobs"), "".join(j + "\n" for j in jobs))
    proc, elapsed = run(["-j", "2", "a.jobs", "out a"], work, "scenario A")
    if proc.returncode != 0:
        fail(f"scenario A: exit status {proc.returncode}, expected 0 ({proc.stderr[-300:]})")
    check_results(os.path.join(work, "out a"), jobs, [0] * len(jobs), "scenario A")
    evts = events(log)
    if len(evts) != 2 * len(jobs):
        fail("scenario A: not every job ran exactly once")
    if max_overlap(evts) > 2:
        fail(f"scenario A: {max_overlap(evts)} jobs ran at the same time with -j 2")
    start = {k: ts for ts, _, kind, k in evts if kind == "start"}
    end = {k: ts for ts, _, kind, k in evts if kind == "end"}
    if start[8] > end[1]:
        fail("scenario A: the short jobs waited for the long one (jobs are run in batches?)")

    # B: -j 3, mixed exit statuses, output files, JOB_INDEX, quoting, comments.
    log = os.path.join(tmp, "b.log")
    probes = [f"'{probe}' '{log}' {k} 0.6" for k in range(1, 7)]
    extra = [
        'echo "index=$JOB_INDEX"; echo "to stderr" >&2',
        "printf '%s\\n' \"a b\" 'c\"d' | wc -l",
        "exit 42",
        "kill -KILL $$",
        "pwd",
        "cat; echo stdin-done",
    ]
    statuses = [0, 0, 3, 0, 0, 0, 0, 0, 42, 137, 0, 0]
    probes[2] = f"'{probe}' '{log}' 3 0.6 3"
    jobs = probes + extra
    text = (
        "# header comment\n\n"
        + "\n".join(probes[:3])
        + "\n   \n  # indented\n"
        + "\n".join(probes[3:] + extra)
        + "\n"
    )
    write(os.path.join(work, "b.jobs"), text)
    proc, _ = run(["-j", "3", os.path.join(work, "b.jobs"), "out b"], work, "scenario B")
    if proc.returncode != 1:
        fail(f"scenario B: exit status {proc.returncode}, expected 1 because jobs failed")
    out = os.path.join(work, "out b")
    check_results(out, jobs, statuses, "scenario B")
    evts = events(log)
    if max_overlap(evts) != 3:
        fail(
            f"scenario B: at most {max_overlap(evts)} jobs ran at the same time with -j 3, expected 3"
        )
    want_files = {
        "7.out": "index=7\n",
        "7.err": "to stderr\n",
        "8.out": "2\n",
        "11.out": work + "\n",
        "12.out": "stdin-done\n",
    }
    for name, want in want_files.items():
        if read(os.path.join(out, name)) != want:
            fail(f"scenario B: {name} is {read(os.path.join(out, name))!r}, expected {want!r}")

    # C: -j 1 runs strictly one after another.
    log = os.path.join(tmp, "c.log")
    jobs = [f"'{probe}' '{log}' {k} 0.1" for k in range(1, 5)]
    write(os.path.join(work, "c.jobs"), "\n".join(jobs))
    proc, _ = run(["-j", "1", "c.jobs", os.path.join(tmp, "new", "out c")], work, "scenario C")
    if proc.returncode != 0:
        fail(f"scenario C: exit status {proc.returncode}")
    check_results(os.path.join(tmp, "new", "out c"), jobs, [0] * 4, "scenario C")
    evts = events(log)
    if max_overlap(evts) != 1:
        fail("scenario C: jobs overlapped with -j 1")
    if [k for _, _, kind, k in evts if kind == "start"] != [1, 2, 3, 4]:
        fail("scenario C: jobs were not run in file order")

    # D: usage errors.
    marker = os.path.join(tmp, "marker")
    write(os.path.join(work, "d.jobs"), f"touch '{marker}'\n")
    for args in (
        ["-j", "0", "d.jobs", "o"],
        ["-j", "x", "d.jobs", "o"],
        ["-j", "2", "d.jobs"],
        ["d.jobs", "o"],
        ["-j", "2", "missing.jobs", "o"],
        [],
    ):
        proc, _ = run(args, work, f"usage {args}")
        if proc.returncode != 2 or not proc.stderr.strip():
            fail(f"usage error {args}: exit {proc.returncode}, expected 2 with a message on stderr")
        if os.path.exists(marker):
            fail(f"usage error {args}: a job was run")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
