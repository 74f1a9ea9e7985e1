import os
import shutil
import subprocess
import sys
import tempfile

SCRIPT = "/app/bin/colstats.sh"


def reference(path, gcol, vcol):
    with open(path, "rb") as fh:
        lines = fh.read().decode().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    header = lines[0].split(",")
    gi, vi = header.index(gcol), header.index(vcol)
    stats = {}
    for line in lines[1:]:
        fields = line.split(",")
        if fields[vi] == "":
            continue
        x = float(fields[vi])
        c, s, mn, mx = stats.get(fields[gi], (0, 0.0, x, x))
        stats[fields[gi]] = (c + 1, s + x, min(mn, x), max(mx, x))
    return "".join(
        f"{k}\t{c}\t{s:.2f}\t{mn:.2f}\t{mx:.2f}\t{s / c:.2f}\n"
        for k, (c, s, mn, mx) in sorted(stats.items(), key=lambda kv: kv[0].encode())
    )


def run(*args):
    try:
        return subprocess.run([SCRIPT, *args], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"cannot run {SCRIPT}: {exc}")
        sys.exit(1)


tmp = tempfile.mkdtemp()
failures = []
try:
    work = os.path.join(tmp, "hidden data")
    os.makedirs(work)
    sales = os.path.join(work, "q1 sales.csv")
    scores = os.path.join(work, "scores.csv")
    shutil.copy("/tests/hidden/q1 sales.csv", sales)
    shutil.copy("/tests/hidden/scores.csv", scores)
    cases = [
        (sales, "region", "amount"),
        (sales, "subregion", "amount_eur"),
        (sales, "region", "amount_eur"),
        (scores, "team", "score"),
        (scores, "score", "id"),
    ]
    for path, g, v in cases:
        proc = run(path, g, v)
        want = reference(path, g, v).encode()
        if proc.returncode != 0 or proc.stdout != want:
            failures.append(
                f"{os.path.basename(path)} {g} {v}: exit {proc.returncode}, "
                f"stdout {proc.stdout[:200]!r}, expected {want[:200]!r}"
            )
    for args in (
        (sales, "region", "amount_usd"),
        (sales, "reg", "amount"),
        (os.path.join(work, "no such file.csv"), "region", "amount"),
    ):
        proc = run(*args)
        if proc.returncode != 2 or proc.stdout != b"" or not proc.stderr.strip():
            failures.append(
                f"error case {args[1:]} on {os.path.basename(args[0])}: exit "
                f"{proc.returncode}, stdout {proc.stdout[:100]!r}"
            )
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
