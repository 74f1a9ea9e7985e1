"""Write a deterministic key=value API request log to stdout."""

import random
import sys

rng = random.Random(99)
routes = [
    ("GET", "/api/v1/users/{n}", 40, 30),
    ("GET", "/api/v1/users", 60, 15),
    ("POST", "/api/v1/users", 120, 6),
    ("GET", "/api/v1/orders/{n}/items", 80, 20),
    ("PUT", "/api/v1/orders/{n}", 150, 8),
    ("GET", "/api/v1/search", 300, 12),
    ("DELETE", "/api/v1/orders/{n}", 90, 4),
    ("GET", "/healthz", 2, 10),
    ("GET", "/api/v2/items/{n}/v2", 55, 9),
]
out = []
ms = 0
for i in range(2400):
    ms += rng.randint(1, 900)
    ts = f"2024-06-01T{8 + ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}Z"
    method, path, base, _w = rng.choices(routes, [r[3] for r in routes])[0]
    path = path.replace("{n}", str(rng.randint(1, 99999)))
    if rng.random() < 0.2:
        path += "/"
    if rng.random() < 0.25:
        path += f"?page={rng.randint(1, 9)}&q=a{rng.randint(1, 99)}"
    dur = round(rng.lognormvariate(0, 0.6) * base, 1)
    status = rng.choice([200] * 14 + [201, 204, 304, 302, 400, 404, 500, 503])
    pairs = [
        f"method={method}",
        f"path={path}",
        f"status={status}",
        f"duration_ms={dur:.1f}",
        f"req_id=r{i:05d}",
        f"bytes={rng.randint(0, 50000)}",
    ]
    rng.shuffle(pairs)
    out.append(f"{ts} api-{rng.randint(1, 4)} " + " ".join(pairs))
    if rng.random() < 0.01:
        out.append(f"{ts} api-{rng.randint(1, 4)} --- worker restarted ---")
sys.stdout.write("\n".join(out) + "\n")
