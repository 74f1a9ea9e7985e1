#!/bin/bash
set -euo pipefail
cd /app/repo
git checkout -q main
git merge --no-ff --no-edit i18n-update >/dev/null || true   # conflicts are expected

python3 - <<'PY'
import json
import subprocess


def git(*args):
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def show(rev, path):
    proc = subprocess.run(["git", "show", f"{rev}:{path}"], capture_output=True)
    return proc.stdout.decode("utf-8") if proc.returncode == 0 else None


base = git("merge-base", "HEAD", "MERGE_HEAD").strip()
revs = (base, "HEAD", "MERGE_HEAD")


def three_way(b, o, t, pick):
    out = {}
    for key in set(b) | set(o) | set(t):
        vb, vo, vt = b.get(key), o.get(key), t.get(key)
        if vo == vt or vt == vb:
            value = vo
        elif vo == vb:
            value = vt
        elif vo is None or vt is None:
            value = vo if vt is None else vt   # deleted vs modified: keep the modification
        else:
            value = pick(vo, vt)
        if value is not None:
            out[key] = value
    return out


paths = set()
for rev in revs:
    paths |= {p for p in git("ls-tree", "-r", "--name-only", rev, "--", "locales").split("\n") if p.endswith(".json")}
for path in sorted(paths):
    sides = [json.loads(show(rev, path) or "{}") for rev in revs]
    merged = three_way(*sides, pick=lambda o, t: t)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(merged, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def reqs(rev):
    text = show(rev, "requirements.txt") or ""
    return dict(line.split("==", 1) for line in text.splitlines() if line.strip())


def vkey(v):
    return tuple(int(x) for x in v.split("."))


merged = three_way(*[reqs(rev) for rev in revs], pick=lambda o, t: max(o, t, key=vkey))
with open("requirements.txt", "w") as fh:
    for name in sorted(merged, key=str.lower):
        fh.write(f"{name}=={merged[name]}\n")
PY

git add -A locales requirements.txt
git commit -q --no-edit
git --no-pager log --oneline -3
