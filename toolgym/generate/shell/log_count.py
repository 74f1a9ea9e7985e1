"""Family ``log-count``: count the log records that match a service, a level and a time window."""

from __future__ import annotations

import random

from toolgym.generate.base import Family, GeneratedTask, dockerfile

SERVICES = ["auth", "billing", "search", "gateway", "worker", "mailer", "cache", "reports"]
LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"]
MESSAGES = [
    "request handled in {n}ms",
    "retrying upstream call ({n} left)",
    "cache miss for key k{n}",
    "user u{n} logged in",
    "job {n} finished",
    "connection reset by peer (fd {n})",
    "slow query took {n}ms",
    "queue depth is {n}",
    "token for u{n} expired",
]


class LogCount(Family):
    name = "log-count"
    category = "text-processing"
    description = "count records in a generated log by service, level and hour window"

    def build(self, rng: random.Random) -> GeneratedTask:
        services = rng.sample(SERVICES, rng.randint(3, 6))
        day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines = []
        for _ in range(rng.randint(400, 1200)):
            hour, minute, second = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
            level = rng.choices(LEVELS, weights=[3, 6, 2, 1])[0]
            service = rng.choice(services)
            message = rng.choice(MESSAGES).format(n=rng.randint(1, 999))
            # Decoys: the level word and other services also appear inside messages.
            if rng.random() < 0.1:
                message += f" (previous {rng.choice(LEVELS)} from {rng.choice(services)})"
            lines.append((hour, minute, second, level, service, message))
        lines.sort()
        text = "".join(
            f"{day}T{h:02d}:{m:02d}:{s:02d}Z [{lv}] {sv}: {msg}\n" for h, m, s, lv, sv, msg in lines
        )
        answer = 0
        while answer < 3:  # a question whose answer cannot be guessed as 0 or 1
            service = rng.choice(services)
            level = rng.choice(["WARN", "ERROR", "INFO"])
            start = rng.randint(0, 18)
            end = rng.randint(start + 2, 24)
            answer = sum(
                1
                for h, _m, _s, lv, sv, _ in lines
                if sv == service and lv == level and start <= h < end
            )
        instruction = f"""\
The file `/app/app.log` holds one record per line, like

```
{day}T13:05:09Z [INFO] {services[0]}: request handled in 12ms
```

Count the records whose level is `{level}`, whose service is `{service}`, and whose time is
at or after {start:02d}:00:00 and before {end:02d}:00:00 (UTC, the times in the file). Only the
level in brackets and the service name before the colon count; words inside messages do not.

Write the count, a single integer, to `/app/answer.txt`.
"""
        solution = f"""#!/bin/bash
set -euo pipefail
awk -v lvl='[{level}]' -v svc='{service}:' -v lo={start} -v hi={end} '
    {{ hour = substr($1, 12, 2) + 0 }}
    $2 == lvl && $3 == svc && hour >= lo && hour < hi {{ n++ }}
    END {{ print n + 0 }}' /app/app.log > /app/answer.txt
"""
        return GeneratedTask(
            instruction=instruction,
            files={"app.log": text},
            dockerfile=dockerfile("COPY app.log /app/app.log\n"),
            solution=solution,
            checks=[
                {"type": "number", "path": "/app/answer.txt", "expected": answer, "tolerance": 0}
            ],
            difficulty="easy",
            tags=["awk", "grep", "logs"],
        )
