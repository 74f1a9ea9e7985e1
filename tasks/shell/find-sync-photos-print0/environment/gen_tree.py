"""Create a deterministic photo inbox with awkward names: gen_tree.py DEST

Also importable: entries() describes every object that is created.
"""

import os
import random
import sys

SYNC = 1709294400  # 2024-03-01 12:00:00 UTC, mtime of .last_sync
DIRS = [
    "",
    "2024/march",
    "2024/march/day trip",
    "2024/feb",
    "phone uploads",
    "-scans",
    ".thumbs",
    "albums/.cache",
    "albums/Holiday 'Lisbon'",
    "albums/süd tirol",
    "weird\nnames",
]
EXTS = [".jpg", ".JPG", ".jpeg", ".Jpeg", ".png", ".PNG", ".gif", ".jpg.txt", ".heic", ".webp"]


def entries():
    """Return a list of dicts: kind (file/link/dir), path, size, seed, mtime, target."""
    rng = random.Random(4242)
    out = []
    used = set()
    for i in range(170):
        d = rng.choice(DIRS)
        stem = rng.choice(["IMG_", "photo ", "-x ", "scan*", 'say "cheese" ', "café ", "a\nb "])
        name = f"{stem}{i:03d}{rng.choice(EXTS[:6] * 3 + EXTS)}"
        path = f"{d}/{name}" if d else name
        size = rng.choice(
            [
                rng.randint(1024, 65536),
                rng.randint(1024, 65536),
                rng.randint(10, 1023),
                rng.randint(65537, 90000),
            ]
        )
        mtime = SYNC + rng.choice([-1, 1]) * rng.randint(1, 40 * 86400)
        out.append({"kind": "file", "path": path, "size": size, "seed": i, "mtime": mtime})
        used.add(path)
    edge = [
        ("edge/exact-1024.jpg", 1024, SYNC + 60),
        ("edge/exact-65536.png", 65536, SYNC + 60),
        ("edge/too small 1023.jpg", 1023, SYNC + 60),
        ("edge/too big 65537.jpg", 65537, SYNC + 60),
        ("edge/same second as sync.jpg", 5000, SYNC),
        ("edge/one second later.jpg", 5000, SYNC + 1),
        ("edge/.hidden file.jpg", 5000, SYNC + 60),
        ("edge/noext", 5000, SYNC + 60),
        ("edge/trailing space.jpg ", 5000, SYNC + 60),
        ("edge/upper.JPEG", 5000, SYNC + 60),
        ("weird\nnames/new\nline.png", 3000, SYNC + 100),
        ("weird\nnames/old\nline.png", 3000, SYNC - 100),
        ("2024/march/-rf.jpg", 2048, SYNC + 100),
    ]
    for n, (path, size, mtime) in enumerate(edge):
        out.append({"kind": "file", "path": path, "size": size, "seed": 1000 + n, "mtime": mtime})
    out.append({"kind": "dir", "path": "edge/folder.jpg", "mtime": SYNC + 60})
    target = next(e for e in out if e["kind"] == "file" and e["path"] == "edge/exact-1024.jpg")
    out.append(
        {
            "kind": "link",
            "path": "edge/link to photo.jpg",
            "target": "exact-1024.jpg",
            "mtime": SYNC + 60,
        }
    )
    assert target
    return out


def content(entry):
    return random.Random(entry["seed"]).randbytes(entry["size"])


def create(dest):
    for e in entries():
        path = os.path.join(dest, e["path"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if e["kind"] == "file":
            with open(path, "wb") as fh:
                fh.write(content(e))
            os.utime(path, (e["mtime"], e["mtime"]))
        elif e["kind"] == "dir":
            os.makedirs(path, exist_ok=True)
        else:
            os.symlink(e["target"], path)
            os.utime(path, (e["mtime"], e["mtime"]), follow_symlinks=False)
    sync = os.path.join(dest, ".last_sync")
    with open(sync, "w") as fh:
        fh.write("last sync: 2024-03-01 12:00:00 UTC\n")
    os.utime(sync, (SYNC, SYNC))


if __name__ == "__main__":
    create(sys.argv[1])
