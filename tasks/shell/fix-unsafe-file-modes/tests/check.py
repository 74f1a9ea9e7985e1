import hashlib
import os
import stat
import subprocess
import sys
import tempfile


def snapshot(root):
    """Relative path -> (kind, data, mode) for root and everything below, without following links."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        names = dirnames + filenames
        if dirpath == root:
            names = ["", *names]
        for name in names:
            path = os.path.join(dirpath, name) if name else root
            rel = os.path.relpath(path, root)
            info = os.lstat(path)
            mode = stat.S_IMODE(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                out[rel] = ("link", os.readlink(path), None)
            elif stat.S_ISDIR(info.st_mode):
                out[rel] = ("dir", None, mode)
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as fh:
                    data = fh.read()
                out[rel] = ("file", (hashlib.sha256(data).hexdigest(), data[:4]), mode)
            else:
                out[rel] = ("other", None, mode)
    return out


def wanted(kind, data, mode):
    if kind == "dir":
        return mode if mode & 0o1000 else mode & ~0o002
    if kind != "file":
        return mode
    mode &= ~0o002
    if mode & 0o111 and not (data[1].startswith(b"#!") or data[1] == b"\x7fELF"):
        mode &= ~0o111
    return mode


with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "/tests/make_data.py", tmp], check=True)
    pristine = snapshot(os.path.join(tmp, "data"))
    pristine_keys = snapshot(os.path.join(tmp, "keys"))


def fix_target(entry):
    kind, data, mode = entry
    if kind == "link" and data.startswith(tmp + "/"):
        data = "/app" + data[len(tmp) :]
    return kind, data, mode


pristine = {rel: fix_target(e) for rel, e in pristine.items()}
current = snapshot("/app/data")
errors = []
if {r: e[:2] for r, e in current.items()} != {r: e[:2] for r, e in pristine.items()}:
    sys.exit("files under /app/data were added, removed, renamed or modified")
if snapshot("/app/keys") != pristine_keys:
    sys.exit("/app/keys (reached through symbolic links) was changed")

audit = []
for rel, (kind, data, mode) in pristine.items():
    want = wanted(kind, data, mode)
    got = current[rel][2]
    path = "/app/data" if rel == "." else "/app/data/" + rel
    if got != want:
        errors.append(f"{path}: mode {got:o}, expected {want:o}")
    if want != mode:
        audit.append(f"{mode:o} {want:o} {path}")
audit.sort(key=lambda line: line.split(" ", 2)[2].encode())
assert len(audit) > 20

try:
    with open("/app/audit.txt", encoding="utf-8") as fh:
        got_audit = [line.rstrip("\n") for line in fh]
except OSError as exc:
    got_audit = None
    errors.append(f"cannot read /app/audit.txt: {exc}")
if got_audit is not None and got_audit != audit:
    diff = [line for line in audit if line not in got_audit][:3] + [
        line for line in got_audit if line not in audit
    ][:3]
    errors.append(
        f"audit.txt differs from the expected {len(audit)} lines (got {len(got_audit)}); e.g. {diff}"
    )
if errors:
    print("\n".join(errors[:15]))
    sys.exit(1)
print("ok")
