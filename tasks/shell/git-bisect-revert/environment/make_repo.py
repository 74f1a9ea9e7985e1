"""Build a deterministic repository with a regression hidden in its history, in sys.argv[1]."""

import os
import random
import subprocess
import sys

repo = sys.argv[1]
rng = random.Random(31337)
os.makedirs(repo, exist_ok=True)
env = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Sam Shop",
    "GIT_AUTHOR_EMAIL": "sam@example.com",
    "GIT_COMMITTER_NAME": "Sam Shop",
    "GIT_COMMITTER_EMAIL": "sam@example.com",
}
clock = [1700000000]


def git(*args):
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def write(path, text, mode=None):
    full = os.path.join(repo, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as fh:
        fh.write(text)
    if mode:
        os.chmod(full, mode)


def append(path, text):
    with open(os.path.join(repo, path), "a") as fh:
        fh.write(text)


def commit(message):
    clock[0] += rng.randint(600, 86400)
    env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{clock[0]} +0000"
    git("add", "-A")
    git("commit", "-q", "-m", message)


git("init", "-q", "-b", "main")
write("shop/__init__.py", "")
PRICING_HEAD = '''"""Price calculations for the shop (all amounts in integer cents)."""

VAT = {"DE": 19, "FR": 20, "NL": 21, "IT": 22, "AT": 20}


def net_total(items):
    """Sum of quantity * unit price for (qty, cents) pairs."""
    return sum(qty * cents for qty, cents in items)


def vat_cents(net, country):
    """VAT for a net amount, rounded half up to whole cents."""
    rate = VAT[country]
    return (net * rate + 50) // 100


def gross_total(items, country):
    net = net_total(items)
    return net + vat_cents(net, country)
'''
write("shop/pricing.py", PRICING_HEAD)
write(
    "check.sh",
    """#!/bin/sh
# Exits 0 when the pricing rules behave as documented.
cd "$(dirname "$0")" || exit 2
python3 - <<'PY'
from shop.pricing import gross_total
assert gross_total([(1, 999)], "DE") == 1189, gross_total([(1, 999)], "DE")
assert gross_total([(3, 250), (1, 1)], "NL") == 909
assert gross_total([], "FR") == 0
PY
""",
    0o755,
)
write("README.md", "# shop\n\nRun ./check.sh to verify the pricing rules.\n")
write("data/products.csv", "sku,name,cents\n")
write("CHANGELOG.md", "# Changelog\n")
commit("Initial shop skeleton")

N = 76
BAD = rng.randint(38, 58)
messages = [
    "Tidy pricing module",
    "Update product list",
    "Docs: clarify usage",
    "Add pricing helper",
    "Changelog entry",
    "Tidy pricing module",
    "Minor cleanup",
]
for i in range(1, N + 1):
    if i == BAD:
        with open(os.path.join(repo, "shop/pricing.py")) as fh:
            text = fh.read()
        text = text.replace("return (net * rate + 50) // 100", "return net * rate // 100")
        write("shop/pricing.py", text)
        commit("Tidy pricing module")
        continue
    kind = rng.choice(["product", "product", "docs", "helper", "changelog"])
    if kind == "product":
        append(
            "data/products.csv",
            f"SKU-{i:03d},Item {rng.randint(100, 999)},{rng.randint(99, 9999)}\n",
        )
        commit(f"Update product list ({i})")
    elif kind == "docs":
        append("README.md", f"\nNote {i}: prices are stored in cents (rev {rng.randint(1, 99)}).\n")
        commit(rng.choice(["Docs: clarify usage", "Minor cleanup"]))
    elif kind == "helper":
        append(
            "shop/pricing.py",
            f"\n\ndef tier_{i}(cents):\n    return cents // {rng.randint(2, 9)}\n",
        )
        commit(rng.choice(["Add pricing helper", "Tidy pricing module"]))
    else:
        append("CHANGELOG.md", f"- change {i}\n")
        commit("Changelog entry")
