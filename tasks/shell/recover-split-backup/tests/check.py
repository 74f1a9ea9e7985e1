import hashlib
import os
import sys

sys.path.insert(0, "/tests")
from gen_backup import archive, layout, parts, site_files

failures = []
expected_archive = archive()
try:
    with open("/app/restore/site-backup.tar.gz", "rb") as fh:
        got = fh.read()
    if got != expected_archive:
        failures.append(
            f"/app/restore/site-backup.tar.gz is not the original archive (sha256 {hashlib.sha256(got).hexdigest()[:16]}...)"
        )
except OSError as exc:
    failures.append(f"cannot read the restored archive: {exc}")

spec = layout()
expected_sources = []
for i in range(len(parts())):
    src = "backup" if spec["backup"].get(i) == "ok" else "mirror"
    assert spec[src].get(i) == "ok"
    expected_sources.append(f"part-{i:02d} {src}")
try:
    with open("/app/restore/sources.txt", encoding="utf-8") as fh:
        got_sources = fh.read().rstrip("\n").split("\n")
    if [line.strip() for line in got_sources] != expected_sources:
        failures.append(f"sources.txt: got {got_sources}, expected {expected_sources}")
except OSError as exc:
    failures.append(f"cannot read /app/restore/sources.txt: {exc}")

files = site_files()
for path, data in files.items():
    full = os.path.join("/app/restore", path)
    try:
        with open(full, "rb") as fh:
            if fh.read() != data:
                failures.append(f"{full} has the wrong contents")
    except OSError as exc:
        failures.append(f"{full}: {exc}")
found = set()
for root, _dirs, names in os.walk("/app/restore/site"):
    for name in names:
        found.add(os.path.relpath(os.path.join(root, name), "/app/restore"))
if found and found != set(files):
    failures.append(f"unexpected files in /app/restore/site: {sorted(found - set(files))[:5]}")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("ok")
