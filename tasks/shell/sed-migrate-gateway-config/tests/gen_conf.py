"""Write a deterministic gateway configuration file."""

import random
import sys

rng = random.Random(7719)
OLD = "legacy-db.corp.example"


def ws():
    return rng.choice(["", "", "", " ", "  ", "\t", " \t"])


out = [
    "# gateway.conf -- edge gateway configuration" + ws(),
    f"# The database used to live on {OLD}; see ticket OPS-1182." + ws(),
    "",
    "[global]",
    "name = edge-gw-01" + ws(),
    "debug = true" + ws(),
    "log_level = info" + ws(),
    "enabled = yes",
    "",
    "[database]" + ws(),
    f"host = {OLD}" + ws(),
    "port = 5432",
    f"dsn = postgres://gateway@{OLD}:5432/main?sslmode=require" + ws(),
    "alias = legacy-db-corp-example" + ws(),
    "enabled = yes",
    "  debug = false" + ws(),
    "",
]
names = [
    "billing",
    "search",
    "images",
    "accounts",
    "reports",
    "notifications",
    "inventory",
    "checkout",
    "geo",
    "audit",
    "pricing",
    "media",
]
rng.shuffle(names)
for idx, name in enumerate(names):
    out.append(f"[upstream {name}]" + ws())
    out.append(f"host = {name}-{rng.randint(1, 9)}.corp.example" + ws())
    out.append(f"port = {rng.choice([80, 443, 8080, 8443, 9000])}")
    out.append(f"enabled = {rng.choice(['yes', 'yes', 'no'])}")
    if rng.random() < 0.4:
        out.append(f"fallback = {OLD}" + ws())
    if rng.random() < 0.3:
        out.append(f"# fallback = {OLD}" + ws())
    if rng.random() < 0.35:
        out.append(rng.choice(["debug = true", "debug=false", "\tdebug = verbose"]) + ws())
    if rng.random() < 0.3:
        out.append("# debug = true" + ws())
    out.append(f"timeout = {rng.randint(5, 60)}" + ws())
    if idx % 4 == 3:
        out.append("")
        out.append("[cache]" if idx < 6 else "[metrics]")
        out.append("enabled = no")
        out.append(f"backend = {OLD}" if idx < 6 else "debug_port = 9102")
        out.append("enabled_for = yes" + ws())
    out.append("" if rng.random() < 0.6 else ws())

out.append("[tls]")
out.append("   # debug = true  ")
out.append("cert = /etc/gw/cert.pem" + ws())
out.append("enabled = yes")
sys.stdout.write("\n".join(out) + "\n")
