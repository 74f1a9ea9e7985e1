import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

LOGQ = "/app/bin/logq"
LEVELS = {"DEBUG": 0, "INFO": 1, "WARN": 2, "ERROR": 3}
LINE = re.compile(
    rb"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}) (DEBUG|INFO|WARN|ERROR) (.*)", re.S
)
TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2})?")


class Usage(Exception):
    pass


def reference(args, cwd, stdin):
    """Return (stdout bytes, exit status) as the specification demands; exit 2 -> stdout b''."""
    min_rank, since, until, maxn, count, greps, files = 0, None, None, None, False, [], []
    only_files = False
    it = iter(args)
    try:
        for arg in it:
            if only_files or arg == "-" or not arg.startswith("-"):
                files.append(arg)
                continue
            opt, has, value = arg, False, None
            if arg.startswith("--") and "=" in arg:
                opt, value = arg.split("=", 1)
                has = True
            if opt == "--":
                only_files = True
                continue
            if opt in ("-h", "--help"):
                return None, 0
            if opt in ("-c", "--count"):
                count = True
                continue
            if opt not in (
                "-l",
                "--level",
                "-s",
                "--since",
                "-u",
                "--until",
                "-g",
                "--grep",
                "-n",
                "--max",
            ):
                raise Usage
            if not has:
                value = next(it, None)
                if value is None:
                    raise Usage
            if opt in ("-l", "--level"):
                if value.upper() not in LEVELS:
                    raise Usage
                min_rank = LEVELS[value.upper()]
            elif opt in ("-s", "--since", "-u", "--until"):
                if not TIME.fullmatch(value):
                    raise Usage
                value = value if "T" in value else value + "T00:00:00"
                if opt in ("-s", "--since"):
                    since = value.encode()
                else:
                    until = value.encode()
            elif opt in ("-g", "--grep"):
                greps.append(value.encode())
            else:
                if not re.fullmatch(r"[0-9]+", value):
                    raise Usage
                maxn = int(value)
    except Usage:
        return b"", 2
    files = files or ["-"]
    out, matched, status = [], 0, 0
    for name in files:
        if maxn is not None and matched >= maxn:
            break
        if name == "-":
            data = stdin
        else:
            path = os.path.join(cwd, name)
            if not os.path.isfile(path):
                status = 1
                continue
            with open(path, "rb") as fh:
                data = fh.read()
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        for line in lines:
            if maxn is not None and matched >= maxn:
                break
            m = LINE.fullmatch(line)
            if not m or LEVELS[m.group(2).decode()] < min_rank:
                continue
            if (since and m.group(1) < since) or (until and m.group(1) >= until):
                continue
            if not all(g in m.group(3) for g in greps):
                continue
            matched += 1
            out.append(line + b"\n")
    return (f"{matched}\n".encode() if count else b"".join(out)), status


def make_log(rng, n, crlf=False, final_newline=True):
    msgs = [
        "user {u} logged in",
        "user {u} login failed: bad password",
        "request failed: timeout after {n}s",
        "disk usage at {n}%",
        "cache miss for key *{u}*",
        "path C:\\temp\\{u} not found",
        "retrying [id={n}] a=b",
        "-v flag ignored",
        "caf\u00e9 order #{n} \u2615",
        "  leading and trailing spaces  ",
        "",
        "--level=ERROR appears in a message",
        "tab\there",
    ]
    lines = []
    for _ in range(n):
        ts = f"2024-03-{rng.randint(4, 7):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        lvl = rng.choice(list(LEVELS))
        msg = rng.choice(msgs).format(u=rng.choice(["ann", "bob", "cy"]), n=rng.randint(1, 99))
        r = rng.random()
        if r < 0.05:
            line = f"{ts} {lvl.lower()} {msg}"
        elif r < 0.08:
            line = f"{ts} WARNING {msg}"
        elif r < 0.10:
            line = f" {ts} {lvl} {msg}"
        elif r < 0.12:
            line = ""
        elif r < 0.14:
            line = f"{ts}  {lvl} {msg}"
        elif r < 0.16:
            line = f"{ts} {lvl}"
        elif r < 0.18:
            line = f"{ts[:10]} {ts[11:]} {lvl} {msg}"
        else:
            line = f"{ts} {lvl} {msg}"
        lines.append(line)
    sep = "\r\n" if crlf else "\n"
    text = sep.join(lines) + (sep if final_newline else "")
    return text.encode()


rng = random.Random(8086)
tmp = tempfile.mkdtemp()
try:
    files = {
        "a.log": make_log(rng, 220),
        "b.log": make_log(rng, 160, final_newline=False),
        "c.log": make_log(rng, 90, crlf=True),
        "-dash.log": make_log(rng, 40),
        "with space.log": make_log(rng, 50),
        "empty.log": b"",
    }
    for name, data in files.items():
        with open(os.path.join(tmp, name), "wb") as fh:
            fh.write(data)
    A, B, C = "a.log", "b.log", "c.log"
    cases = [
        ([], files[A]),
        (["-l", "warn", A], b""),
        (["--level=ERROR", A, B], b""),
        (["--level", "Debug", B], b""),
        ([A, "-l", "INFO", B], b""),
        (["-l", "warn", "-l", "error", C], b""),
        (["-s", "2024-03-05", "-u", "2024-03-06T12:00:00", A], b""),
        (["--since=2024-03-05T13:00:00", "--until", "2024-03-05T13:30:00", A, B, C], b""),
        (["-u", "2024-03-05", "--since", "2024-03-04T12:00:00", B], b""),
        (["-g", "timeout", A], b""),
        (["-g", "user", "-g", "failed", A, B], b""),
        (["-g", "*ann*", A], b""),
        (["--grep", "[id=", A], b""),
        (["-g", "C:\\temp\\", B], b""),
        (["-g", "-v", A], b""),
        (["--grep=a=b", A], b""),
        (["-g", "  ", A], b""),
        (["-g", "caf\u00e9", "-l", "warn", A, B], b""),
        (["-g", "--level=ERROR", B], b""),
        (["-c", A], b""),
        (["--count", "-l", "error", A, B, C], b""),
        (["-n", "5", A], b""),
        (["--max=0", A], b""),
        (["-n", "3", "-c", A, B], b""),
        (["--max", "007", "-l", "warn", B], b""),
        (["-n", "400", A, B], b""),
        (["--", "-dash.log"], b""),
        (["-l", "warn", "--", "-dash.log", "with space.log"], b""),
        (["-", A], files[B]),
        (["-l", "error", A, "--", "-"], files[C]),
        ([A, "missing.log", B], b""),
        (["-c", "-l", "warn", "missing.log", "nope/also missing"], b""),
        (["-n", "2", A, "missing.log"], b""),
        (["empty.log", "-c"], b""),
        (["-x"], files[A]),
        (["--bogus", A], b""),
        (["-l"], b""),
        ([A, "-g"], b""),
        (["-l", "FATAL", A], b""),
        (["--level=", A], b""),
        (["-s", "2024-3-5", A], b""),
        (["-s", "2024-03-05 10:00:00", A], b""),
        (["--until=2024-03-05T10:00", A], b""),
        (["-n", "-1", A], b""),
        (["-n", "abc", A], b""),
        (["--max=1.5", A], b""),
        (["-c", A, "-u"], b""),
    ]
    failures = []
    if not (os.path.isfile(LOGQ) and os.access(LOGQ, os.X_OK)):
        sys.exit(f"{LOGQ} is missing or not executable")
    with open(LOGQ, "rb") as fh:
        first = fh.readline().strip()
    if first not in (b"#!/bin/bash", b"#!/usr/bin/env bash"):
        sys.exit(f"{LOGQ} does not start with a bash shebang line: {first!r}")
    for args, stdin in cases:
        want_out, want_rc = reference(args, tmp, stdin)
        try:
            proc = subprocess.run(
                [LOGQ, *args], input=stdin, capture_output=True, cwd=tmp, timeout=20
            )
        except subprocess.TimeoutExpired:
            failures.append(f"logq {args} timed out")
            continue
        label = f"logq {' '.join(repr(a) if ' ' in a or not a else a for a in args)}"
        if proc.returncode != want_rc:
            failures.append(f"{label}: exit {proc.returncode}, expected {want_rc}")
        elif want_out is not None and proc.stdout != want_out:
            got_lines, want_lines = proc.stdout.split(b"\n"), want_out.split(b"\n")
            failures.append(
                f"{label}: wrong output ({len(got_lines) - 1} lines, expected {len(want_lines) - 1}); first expected {want_lines[:2]}, got {got_lines[:2]}"
            )
        elif want_out is None and not proc.stdout.strip():
            failures.append(f"{label}: no usage text on stdout")
        elif want_rc != 0 and not proc.stderr.startswith(b"logq: "):
            failures.append(f"{label}: exit {want_rc} without a 'logq: ' message on stderr")
    for args in (["-h"], ["--help"]):
        proc = subprocess.run(
            [LOGQ, *args], stdin=subprocess.DEVNULL, capture_output=True, cwd=tmp, timeout=20
        )
        if proc.returncode != 0 or not proc.stdout.strip():
            failures.append(f"logq {args[0]}: expected a usage text on stdout and exit 0")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} failing cases, e.g.:")
    print("\n".join(failures[:12]))
    sys.exit(1)
print("ok")
