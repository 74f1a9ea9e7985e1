import json
import os
import sys

sys.path.insert(0, "/tests")
from expected import EXPECTED


def same(a, b, where):
    """Strict comparison: booleans are not numbers, numbers compare by value."""
    if isinstance(b, bool) or isinstance(a, bool):
        if a is not b:
            return f"{where}: got {json.dumps(a)}, expected {json.dumps(b)}"
        return None
    if isinstance(b, (int, float)):
        if not isinstance(a, (int, float)) or a != b:
            return f"{where}: got {json.dumps(a)}, expected {json.dumps(b)}"
        return None
    if isinstance(b, dict):
        if not isinstance(a, dict):
            return f"{where}: got {json.dumps(a)}, expected an object"
        if set(a) != set(b):
            return f"{where}: keys {sorted(a)}, expected {sorted(b)}"
        for k in b:
            problem = same(a[k], b[k], f"{where}.{k}")
            if problem:
                return problem
        return None
    if type(a) is not type(b) or a != b:
        return f"{where}: got {json.dumps(a)}, expected {json.dumps(b)}"
    return None


failures = []
for name, expected in EXPECTED.items():
    path = f"/app/json/{name}.json"
    try:
        with open(path, encoding="utf-8") as fh:
            got = json.load(fh)
    except (OSError, ValueError) as exc:
        failures.append(f"cannot read {path} as JSON: {exc}")
        continue
    problem = same(got, expected, name)
    if problem:
        failures.append(problem)
extra = (
    sorted(set(os.listdir("/app/json")) - {f"{n}.json" for n in EXPECTED})
    if os.path.isdir("/app/json")
    else []
)
if extra:
    failures.append(f"unexpected files in /app/json: {extra}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
