import fnmatch
import os
import sys

sys.path.insert(0, "/tests")
from gen_tree import SYNC, content, entries

selected = []
for e in entries():
    if e["kind"] != "file":
        continue
    parts = e["path"].split("/")
    name = parts[-1].lower()
    if (
        any(p.startswith(".") for p in parts)
        or not any(fnmatch.fnmatchcase(name, pat) for pat in ("*.jpg", "*.jpeg", "*.png"))
        or not 1024 <= e["size"] <= 65536
        or not e["mtime"] > SYNC
    ):
        continue
    selected.append(e)
selected.sort(key=lambda e: e["path"].encode())
assert any("\n" in e["path"] for e in selected) and len(selected) > 20

failures = []
expected_list = b"".join(e["path"].encode() + b"\0" for e in selected)
try:
    with open("/app/selected.list", "rb") as fh:
        got_list = fh.read()
    if got_list != expected_list:
        got_names = got_list.split(b"\0")
        failures.append(
            f"selected.list differs: {len(got_names) - 1} entries, expected {len(selected)}"
        )
        missing = sorted(set(expected_list.split(b"\0")) - set(got_names))[:3]
        extra = sorted(set(got_names) - set(expected_list.split(b"\0")))[:3]
        failures.append(f"  missing e.g. {missing}, unexpected e.g. {extra}")
except OSError as exc:
    failures.append(f"cannot read /app/selected.list: {exc}")

found = set()
for root, dirs, files in os.walk("/app/outbox"):
    for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
        found.add(os.path.relpath(os.path.join(root, name), "/app/outbox"))
want = {e["path"] for e in selected}
if not os.path.isdir("/app/outbox"):
    failures.append("/app/outbox does not exist")
if found != want:
    failures.append(
        f"/app/outbox holds {len(found)} files, expected {len(want)}; "
        f"missing e.g. {sorted(want - found)[:3]}, unexpected e.g. {sorted(found - want)[:3]}"
    )
for e in selected:
    path = os.path.join("/app/outbox", e["path"])
    if e["path"] not in found:
        continue
    st = os.lstat(path)
    with open(path, "rb") as fh:
        if fh.read() != content(e):
            failures.append(f"{path!r}: contents differ from the original")
    if int(st.st_mtime) != e["mtime"]:
        failures.append(f"{path!r}: modification time {int(st.st_mtime)}, expected {e['mtime']}")

for e in entries():
    path = os.path.join("/app/inbox", e["path"])
    if e["kind"] == "file" and (not os.path.isfile(path) or os.path.islink(path)):
        failures.append(f"{path!r} is missing from the inbox")
if failures:
    print("\n".join(failures[:12]))
    sys.exit(1)
print("ok")
