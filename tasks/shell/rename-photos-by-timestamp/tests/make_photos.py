"""Create a deterministic folder of photos named by different cameras, in sys.argv[1]."""

import os
import random
import sys

root = sys.argv[1]
os.makedirs(root, exist_ok=True)
rng = random.Random(2718)
seen = set()


def stamp():
    while True:
        t = (
            rng.randint(2019, 2024),
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randint(0, 23),
            rng.randint(0, 59),
            rng.randint(0, 59),
        )
        if t not in seen:
            seen.add(t)
            return t


def write(name):
    with open(os.path.join(root, name), "wb") as fh:
        fh.write(
            b"\xff\xd8\xff\xe0 fake jpeg "
            + name.encode()
            + bytes(rng.randrange(256) for _ in range(64))
        )


for i in range(66):
    y, mo, d, h, mi, s = stamp()
    kind = i % 3
    if kind == 0:
        name = f"IMG_{y}{mo:02d}{d:02d}_{h:02d}{mi:02d}{s:02d}.{rng.choice(['jpg', 'JPG'])}"
    elif kind == 1:
        name = f"PXL_{y}{mo:02d}{d:02d}_{h:02d}{mi:02d}{s:02d}{rng.randint(0, 999):03d}.{rng.choice(['jpg', 'jpeg'])}"
    else:
        name = f"Photo {y}-{mo:02d}-{d:02d} at {h:02d}.{mi:02d}.{s:02d}.{rng.choice(['jpeg', 'jpg', 'JPEG'])}"
    write(name)

for name in [
    "IMG_2023_backup.jpg",
    "PXL_20240102_101010123.mp4",
    "Photo 2023-05-01 at 10.11.12.png",
    "notes.txt",
    "IMG_20230101_1200.jpg",
    "img_20230405_060708.jpg",
    "Screenshot 2024-01-01.jpg",
]:
    write(name)
