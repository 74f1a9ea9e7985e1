"""Write a deterministic JSON-lines CI event stream (with a few corrupt lines) to stdout."""

import json
import random
import sys

rng = random.Random(1717)
jobs = [
    ("lint", "check"),
    ("test-unit", "test"),
    ("test-e2e", "test"),
    ("build", "build"),
    ("deploy", "deploy"),
]
branches = ["main", "main", "main", "develop", "feature/login", "main-backup"]
lines = []
ts = 1717200000
for n in range(700):
    ts += rng.randint(5, 400)
    kind = rng.choice(["job_finished"] * 4 + ["job_started", "pipeline_created"])
    name, stage = rng.choice(jobs)
    ev = {
        "id": f"ev-{n:06d}",
        "ts": ts,
        "kind": kind,
        "pipeline": {"id": 4000 + n // 6, "branch": rng.choice(branches)},
    }
    if kind != "pipeline_created":
        ev["job"] = {"name": name, "stage": stage}
    if kind == "job_finished":
        status = rng.choice(["success"] * 5 + ["failed", "failed", "cancelled"])
        result = {"status": status, "duration_s": round(rng.uniform(3, 900), 1)}
        if status == "failed" and rng.random() < 0.85:
            result["exit_code"] = rng.choice([1, 1, 2, 137, 143])
        elif status == "success":
            result["exit_code"] = 0
        ev["result"] = result
    r = rng.random()
    if r < 0.6:
        ev["tags"] = rng.sample(
            ["nightly", "flaky", "gpu", "arm64", "cache-miss"], rng.randint(0, 3)
        )
    elif r < 0.7:
        ev["tags"] = None
    text = json.dumps(ev, separators=(",", ":") if rng.random() < 0.5 else (", ", ": "))
    c = rng.random()
    if c < 0.025:
        text = text[: rng.randint(5, len(text) - 2)]
    elif c < 0.035:
        text = ""
    elif c < 0.04:
        text = "   "
    elif c < 0.045:
        text = text.replace('"kind"', "kind", 1)
    lines.append(text)
sys.stdout.write("\n".join(lines) + "\n")
