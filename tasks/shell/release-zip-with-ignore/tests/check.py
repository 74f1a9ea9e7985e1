import hashlib
import os
import stat
import subprocess
import sys
import tempfile
import zipfile

with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.executable, "/tests/make_project.py", tmp], check=True)
    root = os.path.join(tmp, "project")
    pristine = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                pristine[rel] = ("link", os.readlink(path), None)
            else:
                with open(path, "rb") as fh:
                    pristine[rel] = ("file", fh.read(), stat.S_IMODE(os.stat(path).st_mode))

# The expected selection, worked out by hand from the .releaseignore in make_project.py.
EXCLUDED_EXACT = {
    ".env",
    ".releaseignore",
    ".git/HEAD",
    ".git/config",
    "core-link.py",
    "widget/core.py~",
    "widget/util/strings.pyc",
    "widget/data/debug.log",
    "build/keep.txt",
    "build/lib/widget.so",
    "dist/widget-2.7.0.zip",
    "docs/usage.md",
    "tests/fixtures/big.bin",
    "secret1.txt",
    "secrets.txt",
    "config/secret2.txt",
    "Temp/scratch.txt",
    "temp/scratch.txt",
    "web/node_modules/lib/index.js",
}


def expected_excluded(rel):
    if rel in EXCLUDED_EXACT or "__pycache__/" in rel:
        return True
    return rel.startswith("widget/plugins/") and rel.endswith((".pyc", ".log"))


expected = {rel: v for rel, v in pristine.items() if not expected_excluded(rel)}
for must in (
    "src/build/generated.py",
    "docs/index.md",
    "docs/internal/design.md",
    "tests/fixtures/small.bin",
    "tests/fixtures/deep/nested.bin",
    "secret10.txt",
    "TEMP/scratch.txt",
    "widget/data/keep.log",
    "scripts/release.sh",
    "logs",
    "my docs/read me.txt",
    ".editorconfig",
    "VERSION",
):
    assert must in expected, must

errors = []
for rel, entry in pristine.items():
    path = os.path.join("/app/project", rel)
    if entry[0] == "link":
        ok = os.path.islink(path) and os.readlink(path) == entry[1]
    else:
        try:
            with open(path, "rb") as fh:
                ok = fh.read() == entry[1]
        except OSError:
            ok = False
    if not ok:
        errors.append(f"/app/project/{rel} was modified")
if errors:
    sys.exit("\n".join(errors[:5]))

top = "widget-2.7.1"
zpath = f"/app/dist/{top}.zip"
try:
    zf = zipfile.ZipFile(zpath)
except (OSError, zipfile.BadZipFile) as exc:
    sys.exit(f"cannot open {zpath}: {exc}")
with zf:
    members = {}
    for info in zf.infolist():
        if not info.filename.startswith(top + "/"):
            errors.append(f"member outside {top}/: {info.filename}")
            continue
        if info.is_dir():
            continue
        members[info.filename[len(top) + 1 :]] = (zf.read(info), (info.external_attr >> 16) & 0o777)
    manifest = members.pop("MANIFEST.txt", None)
    missing = sorted(set(expected) - set(members))
    extra = sorted(set(members) - set(expected))
    if missing:
        errors.append(f"files missing from the zip: {missing[:8]}")
    if extra:
        errors.append(f"files that must not be in the zip: {extra[:8]}")
    for rel in sorted(set(expected) & set(members)):
        data, mode = members[rel]
        if data != expected[rel][1]:
            errors.append(f"{rel}: content differs")
        if mode & 0o777 == 0 or bool(mode & 0o111) != bool(expected[rel][2] & 0o111):
            errors.append(
                f"{rel}: permission bits {mode:o} recorded, file has {expected[rel][2]:o}"
            )
    want_manifest = "".join(
        f"{hashlib.sha256(expected[rel][1]).hexdigest()}  {len(expected[rel][1])}  {rel}\n"
        for rel in sorted(expected, key=lambda r: r.encode())
    )
    if manifest is None:
        errors.append("MANIFEST.txt is missing")
    elif manifest[0].decode("utf-8", "replace").replace("\r\n", "\n") != want_manifest:
        got_lines = manifest[0].decode("utf-8", "replace").splitlines()
        want_lines = want_manifest.splitlines()
        diff = [(w, g) for w, g in zip(want_lines, got_lines, strict=False) if w != g][:2]
        errors.append(
            f"MANIFEST.txt differs ({len(got_lines)} lines, expected {len(want_lines)}); e.g. expected vs got {diff}"
        )
if errors:
    print("\n".join(errors[:12]))
    sys.exit(1)
print(f"ok: {len(expected)} files")
