import hashlib
import os
import re
import subprocess
import sys
import tempfile

PHOTOS = "/app/photos"
EXT = r"\.(?:[jJ][pP][eE]?[gG])"
PATTERNS = [
    re.compile(r"IMG_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})" + EXT, re.ASCII),
    re.compile(r"PXL_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})\d{3}" + EXT, re.ASCII),
    re.compile(r"Photo (\d{4})-(\d{2})-(\d{2}) at (\d{2})\.(\d{2})\.(\d{2})" + EXT, re.ASCII),
]


def digest(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "photos")
    subprocess.run([sys.executable, "/tests/make_photos.py", src], check=True)
    expected = {}
    renamed = 0
    for name in os.listdir(src):
        new = name
        for pattern in PATTERNS:
            m = pattern.fullmatch(name)
            if m:
                new = "{}-{}-{}_{}-{}-{}.jpg".format(*m.groups())
                renamed += 1
                break
        assert new not in expected
        expected[new] = digest(os.path.join(src, name))
assert renamed == 66

if not os.path.isdir(PHOTOS):
    sys.exit("/app/photos is missing")
current = {}
for name in os.listdir(PHOTOS):
    path = os.path.join(PHOTOS, name)
    if os.path.islink(path) or not os.path.isfile(path):
        sys.exit(f"{name} is not a regular file")
    current[name] = digest(path)
if set(current) != set(expected):
    print("missing:", sorted(set(expected) - set(current))[:8])
    print("unexpected:", sorted(set(current) - set(expected))[:8])
    sys.exit(1)
wrong = [name for name in expected if current[name] != expected[name]]
if wrong:
    sys.exit(f"wrong content for {wrong[:5]}")
print("ok")
