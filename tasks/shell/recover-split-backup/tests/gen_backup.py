"""Create a split backup with damaged parts in two places: gen_backup.py ROOT

Also importable: site_files(), archive(), parts() and layout() describe what is created.
"""

import gzip
import hashlib
import io
import os
import random
import sys
import tarfile

PART = 6144
NAME = "site-backup.tar.gz"


def site_files():
    rng = random.Random(5150)
    files = {
        "site/index.html": b"<html><body><h1>Welcome</h1></body></html>\n",
        "site/about us.html": b"<html><body>About</body></html>\n",
        "site/css/main.css": b"body { font-family: sans-serif; }\n" * 20,
        "site/robots.txt": b"User-agent: *\nDisallow: /admin\n",
    }
    for i in range(7):
        files[f"site/img/photo-{i:02d}.jpg"] = rng.randbytes(rng.randint(3000, 9000))
    files["site/data/orders.csv"] = "".join(
        f"{n},{rng.randint(1, 999)}.{rng.randint(0, 99):02d}\n" for n in range(400)
    ).encode()
    return files


def archive():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        dirs = sorted({p.rsplit("/", 1)[0] for p in site_files()} | {"site"})
        for d in dirs:
            info = tarfile.TarInfo(d)
            info.type = tarfile.DIRTYPE
            info.mode = 0o755
            info.mtime = 1717000000
            tf.addfile(info)
        for path, data in sorted(site_files().items()):
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mode = 0o644
            info.mtime = 1717000000
            tf.addfile(info, io.BytesIO(data))
    return gzip.compress(buf.getvalue(), compresslevel=9, mtime=0)


def parts():
    data = archive()
    return [data[i : i + PART] for i in range(0, len(data), PART)]


def damage(data, how):
    if how == "flip":
        pos = len(data) // 3
        return data[:pos] + bytes([data[pos] ^ 0x20]) + data[pos + 1 :]
    if how == "truncate":
        return data[: len(data) - 100]
    if how == "zero":
        return data[:1000] + b"\0" * 512 + data[1512:]
    return data


def layout():
    """{directory: {part index: damage}}; a missing index means the part is absent there."""
    n = len(parts())
    backup = {i: "ok" for i in range(n)}
    backup.update({2: "flip", 5: "truncate"})
    del backup[n - 1]
    mirror = {i: "ok" for i in range(n)}
    mirror.update({0: "zero", 3: "flip", 6: "truncate"})
    del mirror[4]
    return {"backup": backup, "mirror": mirror}


def create(root):
    ps = parts()
    for directory, spec in layout().items():
        os.makedirs(os.path.join(root, directory), exist_ok=True)
        for i, how in spec.items():
            with open(os.path.join(root, directory, f"{NAME}.part-{i:02d}"), "wb") as fh:
                fh.write(damage(ps[i], how))
    with open(os.path.join(root, "backup", "SHA256SUMS"), "w") as fh:
        for i, p in enumerate(ps):
            fh.write(f"{hashlib.sha256(p).hexdigest()}  {NAME}.part-{i:02d}\n")
        fh.write(f"{hashlib.sha256(archive()).hexdigest()}  {NAME}\n")


if __name__ == "__main__":
    create(sys.argv[1])
