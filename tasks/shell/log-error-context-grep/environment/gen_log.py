"""Write a deterministic application log with a few traps for naive greps."""

import random
import sys

rng = random.Random(51423)
components = ["api", "worker-1", "worker-2", "scheduler", "db-pool", "auth", "cache"]
levels = ["DEBUG"] * 5 + ["INFO"] * 12 + ["WARN"] * 3 + ["ERROR"] * 2 + ["FATAL"]
plain = [
    "request handled in {n} ms",
    "cache hit ratio {n}%",
    "heartbeat ok",
    "retrying job {n} after error",
    "upstream replied [ERROR] quota exceeded (will retry)",
    "config reloaded, 0 ERROR(s) found",
    "user {n} logged in",
    "queue depth {n}",
    "status of job {n}: FATAL flag cleared",
    "ERROR budget at {n}%",
]
errors = [
    "connection to db-{n} refused",
    "job {n} crashed: ValueError",
    "timeout after {n} ms talking to billing",
    "disk quota exceeded on volume {n}",
    "unhandled exception in handler",
]

out = []
second = 0
while len(out) < 900:
    second += rng.randint(0, 4)
    ts = f"2024-05-14T{9 + second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
    level = rng.choice(levels)
    comp = rng.choice(components)
    if level in ("ERROR", "FATAL"):
        msg = rng.choice(errors).format(n=rng.randint(1, 999))
    else:
        msg = rng.choice(plain).format(n=rng.randint(1, 999))
    if rng.random() < 0.03:
        level = level.lower()  # lower-case levels are NOT errors by the task's definition
    out.append(f"{ts} [{level}] {comp}: {msg}")
    if level in ("ERROR", "FATAL") and rng.random() < 0.5:
        out.append("Traceback (most recent call last):")
        for _ in range(rng.randint(1, 3)):
            out.append(
                f'  File "/srv/app/mod{rng.randint(1, 9)}.py", line {rng.randint(1, 400)}, in run'
            )
        out.append(f"RuntimeError: [ERROR] code {rng.randint(100, 999)}")

sys.stdout.write("\n".join(out) + "\n")
