import re
import subprocess
import sys

original = subprocess.run(
    [sys.executable, "/tests/gen_conf.py"], capture_output=True, check=True
).stdout

expected = []
in_upstream = False
for raw in original.decode().split("\n")[:-1]:
    line = raw.rstrip(" \t")
    comment = line.lstrip(" \t").startswith("#")
    if line.startswith("["):
        in_upstream = line.startswith("[upstream ")
    if not comment:
        line = line.replace("legacy-db.corp.example", "db.internal.example")
        if re.match(r"[ \t]*debug[ \t]*=", line):
            line = "# " + line
    if in_upstream and line == "enabled = yes":
        line = "enabled = true"
    elif in_upstream and line == "enabled = no":
        line = "enabled = false"
    expected.append(line)
expected_bytes = ("\n".join(expected) + "\n").encode()

failures = []
try:
    with open("/app/etc/gateway.conf.orig", "rb") as fh:
        if fh.read() != original:
            failures.append("gateway.conf.orig is not a byte-identical copy of the original")
except OSError as exc:
    failures.append(f"cannot read the backup: {exc}")

try:
    with open("/app/etc/gateway.conf", "rb") as fh:
        got = fh.read()
except OSError as exc:
    got = None
    failures.append(f"cannot read gateway.conf: {exc}")
if got is not None and got != expected_bytes:
    got_lines = got.split(b"\n")
    exp_lines = expected_bytes.split(b"\n")
    if len(got_lines) != len(exp_lines):
        failures.append(f"gateway.conf has {len(got_lines)} lines, expected {len(exp_lines)}")
    for n, (a, b) in enumerate(zip(got_lines, exp_lines, strict=False)):
        if a != b:
            failures.append(f"gateway.conf line {n + 1}: got {a!r}, expected {b!r}")
            break

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
