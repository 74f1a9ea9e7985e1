"""Build a repository whose two branches conflict in locale and requirements files (sys.argv[1])."""

import json
import os
import random
import subprocess
import sys

repo = sys.argv[1]
rng = random.Random(4242)
os.makedirs(repo, exist_ok=True)
env = {**os.environ}
clock = [1709200000]


def git(*args):
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def who(name, email):
    env.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
    )


def write(path, text):
    full = os.path.join(repo, path)
    os.makedirs(os.path.dirname(full) or repo, exist_ok=True)
    with open(full, "w", encoding="utf-8") as fh:
        fh.write(text)


def commit(message):
    clock[0] += 5400
    env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{clock[0]} +0000"
    git("add", "-A")
    git("commit", "-q", "-m", message)


def dump_locale(data):
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def dump_reqs(reqs):
    return "".join(
        f"{name}=={ver}\n" for name, ver in sorted(reqs.items(), key=lambda kv: kv[0].lower())
    )


SECTIONS = ["menu", "dialog", "error", "button", "status", "settings", "help"]
WORDS = [
    "Datei",
    "Öffnen",
    "Fenster",
    "éditer",
    "Größe",
    "naïve",
    "señal",
    "Schließen",
    "città",
    "zoom",
    "Ansicht",
    "über",
    "préférences",
    "Hilfe",
    "año",
    "Übersicht",
    "piè",
    "fermer",
    "Speichern",
    "ação",
    "guardar",
    "Löschen",
    "copier",
    "einfügen",
    "ﬁn",
    "mañana",
    "déjà",
]
LANGS = ["de", "es", "fr", "it", "nl", "pt"]


def phrase():
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))


def key():
    return f"{rng.choice(SECTIONS)}.{rng.choice(['open', 'close', 'save', 'title', 'hint', 'label', 'warn', 'ok', 'cancel', 'retry'])}_{rng.randint(1, 99)}"


base_locales = {}
for lang in LANGS:
    data = {}
    while len(data) < 36:
        data[key()] = phrase()
    base_locales[lang] = data

PACKAGES = [
    "attrs",
    "Babel",
    "certifi",
    "click",
    "cryptography",
    "Django",
    "idna",
    "Jinja2",
    "lxml",
    "MarkupSafe",
    "numpy",
    "packaging",
    "Pillow",
    "pytz",
    "PyYAML",
    "requests",
    "six",
    "SQLAlchemy",
    "urllib3",
    "Werkzeug",
]
base_reqs = {
    p: f"{rng.randint(1, 4)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}" for p in PACKAGES[:16]
}


def bump(ver):
    parts = [int(x) for x in ver.split(".")]
    i = rng.choice([1, 1, 2, 2, 0])
    parts[i] += rng.choice([1, 2, 3, 8, 9])
    for j in range(i + 1, 3):
        parts[j] = rng.randint(0, 3)
    return ".".join(map(str, parts))


def mutate_locale(data, side):
    data = dict(data)
    for k in sorted(data):
        r = rng.random()
        if r < 0.18:
            data[k] = phrase() + (" ✓" if side == "theirs" else "")
        elif r < 0.24:
            del data[k]
    for _ in range(rng.randint(2, 4)):
        data[key()] = phrase()
    return data


def mutate_reqs(reqs):
    reqs = dict(reqs)
    for p in sorted(reqs):
        r = rng.random()
        if r < 0.35:
            reqs[p] = bump(reqs[p])
        elif r < 0.42:
            del reqs[p]
    return reqs


who("Mara Main", "mara@example.com")
git("init", "-q", "-b", "main")
git("config", "core.autocrlf", "false")
write("README.md", "# Notepad\n\nA tiny note taking app.\n")
write(
    "src/app.py",
    'import json\n\n\ndef load_locale(lang):\n    with open(f"locales/{lang}.json", encoding="utf-8") as fh:\n        return json.load(fh)\n',
)
for lang, data in base_locales.items():
    write(f"locales/{lang}.json", dump_locale(data))
write("requirements.txt", dump_reqs(base_reqs))
commit("Initial import")

# Shared edits that both sides make identically (keeps some keys in agreement).
shared = {lang: {} for lang in LANGS}
for lang in LANGS:
    for k in rng.sample(sorted(base_locales[lang]), 2):
        shared[lang][k] = phrase() + " (v2)"
shared_added = {lang: {key() + "_new": phrase()} for lang in LANGS}
shared_req_bump = {p: bump(base_reqs[p]) for p in ("requests", "click")}

# Snapshot the random decisions for both sides before touching the work tree.
sides = {}
for side in ("ours", "theirs"):
    locs = {}
    for lang in LANGS:
        data = mutate_locale(base_locales[lang], side)
        for k, v in shared[lang].items():
            data[k] = v
        data.update(shared_added[lang])
        locs[lang] = data
    reqs = mutate_reqs(base_reqs)
    reqs.update(shared_req_bump)
    sides[side] = (locs, reqs)

# Both sides add the same new key with different values in a few locales.
for lang in ("de", "fr", "pt"):
    k = f"dialog.export_{lang}"
    sides["ours"][0][lang][k] = "Export " + phrase()
    sides["theirs"][0][lang][k] = "Exportieren " + phrase()
# Both sides add the same new package, with different versions; and the same one, same version.
sides["ours"][1]["Werkzeug"] = "2.9.4"
sides["theirs"][1]["Werkzeug"] = "2.10.0"
sides["ours"][1]["attrs"] = "23.2.0"
sides["theirs"][1]["attrs"] = "23.2.0"
sides["theirs"][1]["six"] = "1.16.0"
# A package deleted on one side while the other side upgrades it.
sides["ours"][1].pop("Babel", None)
sides["theirs"][1]["Babel"] = "2.14.0"

git("checkout", "-q", "-b", "i18n-update")
who("Ines Intl", "ines@example.com")
locs, reqs = sides["theirs"]
for lang in LANGS:
    write(f"locales/{lang}.json", dump_locale(locs[lang]))
commit("Update translations from the translation service")
write("requirements.txt", dump_reqs(reqs))
commit("Upgrade dependencies for the i18n tooling")
write(
    "locales/pl.json",
    dump_locale({"menu.open_1": "Otwórz", "menu.save_2": "Zapisz", "button.ok_3": "Dobrze"}),
)
write("README.md", "# Notepad\n\nA tiny note taking app.\n\nNow available in Polish.\n")
commit("Add Polish translation")

git("checkout", "-q", "main")
who("Mara Main", "mara@example.com")
locs, reqs = sides["ours"]
for lang in LANGS:
    write(f"locales/{lang}.json", dump_locale(locs[lang]))
commit("Fix wording in several translations")
write("requirements.txt", dump_reqs(reqs))
write(
    "src/app.py",
    'import json\n\nDEFAULT = "en"\n\n\ndef load_locale(lang):\n    with open(f"locales/{lang}.json", encoding="utf-8") as fh:\n        return json.load(fh)\n',
)
commit("Pin dependencies for the 3.2 release")
