"""Create a deterministic media tree with duplicate files: gen_tree.py DEST

Also importable: files() returns {relative path: bytes} for every regular file,
links() the symbolic links as {relative path: target}.
"""

import os
import random
import sys

DIRS = [
    "",
    "camera",
    "camera/2023",
    "camera/2024 spring",
    "backup",
    "backup/old phone",
    "export",
    "export/web-small",
    "misc",
    "-odd dir",
]
STEMS = ["IMG", "clip", "scan", "holiday photo", "doc", "track", "-x", "copy of img"]
EXTS = [".jpg", ".png", ".mp4", ".pdf", ".mp3", ".txt", ""]


def files():
    rng = random.Random(777)
    blobs = []
    for _ in range(90):
        size = rng.choice([rng.randint(1, 200), rng.randint(200, 5000), rng.randint(5000, 40000)])
        blobs.append(rng.randbytes(size))
    # Decoys: same size (and same first bytes) as another blob, different content.
    for k in range(8):
        base = blobs[k * 3]
        blobs.append(base[:-1] + bytes([(base[-1] + 1) % 256]))
    out = {}
    n = 0
    for blob in blobs:
        copies = rng.choices([1, 2, 3, 4], [55, 25, 12, 8])[0]
        for _ in range(copies):
            d = rng.choice(DIRS)
            name = f"{rng.choice(STEMS)}_{n:03d}{rng.choice(EXTS)}"
            n += 1
            out[f"{d}/{name}" if d else name] = blob
    for k in range(5):
        out[f"{rng.choice(DIRS[1:])}/empty {k}.txt"] = b""
    return out


def links():
    return {"export/latest.jpg": "../camera/IMG_000.jpg", "misc/loop": "misc"}


def create(dest):
    for path, data in files().items():
        full = os.path.join(dest, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "wb") as fh:
            fh.write(data)
    for path, target in links().items():
        os.symlink(target, os.path.join(dest, path))


if __name__ == "__main__":
    create(sys.argv[1])
