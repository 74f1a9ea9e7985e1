"""Build /app/dist/widget-<VERSION>.zip from /app/project honouring .releaseignore."""

import hashlib
import os
import re
import stat
import zipfile

ROOT = "/app/project"


def glob_to_regex(pattern):
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            j = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "]") else i + 1)
            if j < 0:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out))


rules = []
with open(os.path.join(ROOT, ".releaseignore"), encoding="utf-8") as fh:
    for line in fh.read().splitlines():
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pat = line[1:] if negate else line
        dir_only = pat.endswith("/")
        pat = pat.rstrip("/")
        anchored = "/" in pat
        rules.append((negate, dir_only, anchored, glob_to_regex(pat.lstrip("/"))))


def excluded(rel, is_dir):
    verdict = False
    for negate, dir_only, anchored, rx in rules:
        if dir_only and not is_dir:
            continue
        target = rel if anchored else rel.rsplit("/", 1)[-1]
        if rx.fullmatch(target):
            verdict = not negate
    return verdict


with open(os.path.join(ROOT, "VERSION"), encoding="utf-8") as fh:
    version = fh.read().strip()
top = f"widget-{version}"

selected = []
for dirpath, dirnames, filenames in os.walk(ROOT):
    rel_dir = os.path.relpath(dirpath, ROOT)
    keep = []
    for d in sorted(dirnames):
        rel = d if rel_dir == "." else f"{rel_dir}/{d}"
        if rel == ".git" or os.path.islink(os.path.join(dirpath, d)) or excluded(rel, True):
            continue
        keep.append(d)
    dirnames[:] = keep
    for f in filenames:
        rel = f if rel_dir == "." else f"{rel_dir}/{f}"
        path = os.path.join(dirpath, f)
        if (
            rel == ".releaseignore"
            or not stat.S_ISREG(os.lstat(path).st_mode)
            or excluded(rel, False)
        ):
            continue
        selected.append(rel)
selected.sort(key=lambda r: r.encode())

os.makedirs("/app/dist", exist_ok=True)
manifest = []
out = f"/app/dist/{top}.zip"
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
    for rel in selected:
        path = os.path.join(ROOT, rel)
        with open(path, "rb") as fh:
            data = fh.read()
        info = zipfile.ZipInfo(f"{top}/{rel}")
        info.external_attr = (stat.S_IFREG | stat.S_IMODE(os.stat(path).st_mode)) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, data)
        manifest.append(f"{hashlib.sha256(data).hexdigest()}  {len(data)}  {rel}\n")
    info = zipfile.ZipInfo(f"{top}/MANIFEST.txt")
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    zf.writestr(info, "".join(manifest))
print(out, len(selected), "files")
