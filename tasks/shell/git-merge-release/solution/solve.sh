#!/bin/bash
set -euo pipefail
cd /app/repo
git checkout -q main
git merge --no-ff feature/export || true   # stops with conflicts

# VERSION: the higher version of the two sides.
printf '%s\n' "$(git show :2:VERSION)" "$(git show :3:VERSION)" | sort -V | tail -n1 > VERSION

# CHANGELOG.md: both sections, ours (1.4.0) is newer so it comes first.
awk '/^<<<<<<< /{mode="ours"; next}
     /^=======/{mode="theirs"; next}
     /^>>>>>>> /{printf "%s", ours; if (ours != "") print ""; printf "%s", theirs; ours=""; theirs=""; mode=""; next}
     mode=="ours"{ours = ours $0 "\n"; next}
     mode=="theirs"{theirs = theirs $0 "\n"; next}
     {print}' CHANGELOG.md > CHANGELOG.md.new && mv CHANGELOG.md.new CHANGELOG.md

# settings.ini: merge setting by setting against the common ancestor.
python3 - <<'PY'
import configparser, subprocess

def load(spec):
    text = subprocess.run(["git", "show", spec], capture_output=True, text=True, check=True).stdout
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read_string(text)
    return {(s, k): v for s in cp.sections() for k, v in cp[s].items()}, cp.sections()

base, _ = load(":1:settings.ini")
ours, ours_sections = load(":2:settings.ini")
theirs, theirs_sections = load(":3:settings.ini")
sections = ours_sections + [s for s in theirs_sections if s not in ours_sections]
merged = {}
for key in list(ours) + [k for k in theirs if k not in ours]:
    o, t, b = ours.get(key), theirs.get(key), base.get(key)
    if o == t or t == b or t is None:
        merged[key] = o
    elif o == b or o is None:
        merged[key] = t
    else:
        merged[key] = str(max(float(o), float(t))).removesuffix(".0")
with open("settings.ini", "w") as fh:
    for i, section in enumerate(sections):
        fh.write(("\n" if i else "") + f"[{section}]\n")
        for (s, k), v in merged.items():
            if s == section:
                fh.write(f"{k} = {v}\n")
PY

# stats.py: keep both functions, separated by two blank lines.
awk '/^<<<<<<< /{next} /^=======/{print ""; print ""; next} /^>>>>>>> /{next} {print}' stats.py > stats.py.new
mv stats.py.new stats.py

python3 -m unittest discover -s tests -t . >/dev/null 2>&1
git add VERSION CHANGELOG.md settings.ini stats.py
git commit -q --no-edit
