"""Build the nested delivery archive: gen_delivery.py OUT.zip

Also importable: tar_members(), vendor_members() and zip_members() return the contents.
"""

import io
import json
import random
import sys
import tarfile
import zipfile


def sales_csv(rng, month):
    rows = ["date,store,sku,units,amount"]
    for _ in range(rng.randint(8, 20)):
        units = rng.randint(1, 9)
        rows.append(
            f"2024-{month:02d}-{rng.randint(1, 28):02d},S{rng.randint(1, 12):02d},"
            f"SKU-{rng.randint(100, 999)},{units},{units * rng.randint(100, 5000) / 100:.2f}"
        )
    return ("\n".join(rows) + "\n").encode()


def vendor_members():
    return {
        "LICENSE": b"Vendor Data License v3\n\nPermission is granted to use the export data\ninternally only. Ref: VDL-7731-QX\n",
        "docs/index.html": b"<html><body>Vendor docs</body></html>\n",
        "docs/LICENSE.old": b"Vendor Data License v2 (superseded)\n",
    }


def tar_members():
    rng = random.Random(2024)
    members = {
        "export/meta.json": json.dumps(
            {
                "export_id": "EXP-5521",
                "year": 2024,
                "rows": "see files",
                "checksum": rng.getrandbits(64),
            },
            indent=2,
        ).encode()
        + b"\n"
    }
    for month in range(1, 13):
        members[f"export/2024/{month:02d}/sales.csv"] = sales_csv(rng, month)
    members["export/2024/04/sales.csv.bak"] = sales_csv(rng, 4)
    members["old/export/2024/05/sales.csv"] = sales_csv(rng, 5)
    members["export/2023/06/sales.csv"] = sales_csv(rng, 6)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in vendor_members().items():
            zf.writestr(zipfile.ZipInfo(name, (2024, 1, 5, 10, 0, 0)), data)
    members["vendor/vendor-docs.zip"] = buf.getvalue()
    return members


def zip_members():
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz", format=tarfile.GNU_FORMAT) as tf:
        for name, data in tar_members().items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1704456000
            info.mode = 0o644
            tf.addfile(info, io.BytesIO(data))
    return {
        "README.txt": b"Delivery 2024. The payload is a gzip-compressed tar archive.\n",
        "payload/export-2024.tar.gz": buf.getvalue(),
        "payload/notes.txt": b"LICENSE: see the vendor docs bundled in the export.\n",
    }


if __name__ == "__main__":
    with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as zf:
        for name, data in zip_members().items():
            zf.writestr(zipfile.ZipInfo(name, (2024, 1, 6, 9, 0, 0)), data)
