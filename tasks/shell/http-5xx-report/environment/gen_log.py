"""Write a deterministic web server access log (combined log format)."""

import random
import sys

rng = random.Random(20240312)
paths = [
    "/",
    "/login",
    "/logout",
    "/api/users",
    "/api/orders",
    "/api/orders/export",
    "/api/search",
    "/static/app.js",
    "/static/style.css",
    "/health",
    "/admin/reports",
    "/api/payments",
    "/api/cart",
    "/api/v2/items",
]
weights = [8, 5, 2, 9, 9, 2, 7, 10, 10, 6, 2, 4, 6, 5]
methods = ["GET"] * 6 + ["POST"] * 3 + ["PUT", "DELETE"]
agents = [
    "curl/8.4.0",
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0",
    "python-requests/2.31.0",
    "Monitor/503 probe",
    "Bot/1.0 (+err 500 tracker)",
]
ok = [200] * 30 + [201, 204, 301, 302, 304] * 2 + [400, 401, 403, 404, 404, 429]
bad = [500, 502, 502, 503, 503, 503, 504]
months = ["Mar"]

out = []
for i in range(640):
    ip = f"{rng.choice([10, 172, 192, 203])}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    path = rng.choices(paths, weights)[0]
    if rng.random() < 0.35:
        path += f"?id={rng.randint(1, 999)}&page={rng.randint(1, 9)}"
    status = rng.choice(bad) if rng.random() < 0.22 else rng.choice(ok)
    size = rng.choice([500, 502, 503, rng.randint(0, 99999)])
    ts = f"12/Mar/2024:{10 + i // 120:02d}:{(i // 2) % 60:02d}:{rng.randint(0, 59):02d} +0000"
    method = rng.choice(methods)
    ref = rng.choice(["-", "https://example.com/api/users", "https://example.com/health"])
    agent = rng.choice(agents)
    if rng.random() < 0.02:
        request = "-"
        status = 400
    else:
        request = f"{method} {path} HTTP/1.{rng.choice([0, 1])}"
    out.append(f'{ip} - - [{ts}] "{request}" {status} {size} "{ref}" "{agent}"\n')

sys.stdout.write("".join(out))
