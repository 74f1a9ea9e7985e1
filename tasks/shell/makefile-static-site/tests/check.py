import os
import shutil
import subprocess
import sys
import tempfile
import time


def fail(message):
    print(message)
    sys.exit(1)


def make(cwd, *args):
    try:
        proc = subprocess.run(["make", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        fail(f"make {' '.join(args)} timed out")
    if proc.returncode != 0:
        fail(f"make {' '.join(args)} failed:\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")


def outputs(cwd):
    out = {}
    for dirpath, _, files in os.walk(os.path.join(cwd, "out")):
        for name in files:
            path = os.path.join(dirpath, name)
            out[os.path.relpath(path, cwd)] = os.stat(path).st_mtime_ns
    return out


def age(cwd, when):
    """Sources get time `when`, outputs (everything in out/) `when + 100`."""
    built = outputs(cwd)
    for dirpath, _, files in os.walk(cwd):
        for name in files:
            path = os.path.join(dirpath, name)
            stamp = when + 100 if os.path.relpath(path, cwd) in built else when
            os.utime(path, (stamp, stamp))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    now = time.time()
    os.utime(path, (now, now))


def expected_site(src):
    """Build the site by hand (running the tools directly) from the sources in src."""
    ref = tempfile.mkdtemp(dir=tmp)
    shutil.copytree(src, ref, dirs_exist_ok=True, ignore=shutil.ignore_patterns("out", "Makefile"))
    os.makedirs(os.path.join(ref, "out", "static"))
    pages = sorted(os.listdir(os.path.join(ref, "pages")))
    for page in pages:
        name = page.removesuffix(".md")
        subprocess.run(
            [
                sys.executable,
                "tools/render.py",
                "templates/page.html",
                f"pages/{page}",
                f"out/{name}.html",
            ],
            cwd=ref,
            check=True,
        )
    subprocess.run(
        [sys.executable, "tools/index.py", "out/index.html", *[f"pages/{p}" for p in pages]],
        cwd=ref,
        check=True,
    )
    for name in os.listdir(os.path.join(ref, "static")):
        shutil.copyfile(os.path.join(ref, "static", name), os.path.join(ref, "out", "static", name))
    result = {}
    for rel in outputs(ref):
        with open(os.path.join(ref, rel), "rb") as fh:
            result[rel] = fh.read()
    return result


def check_content(cwd, label):
    want = expected_site(cwd)
    got = outputs(cwd)
    if set(got) != set(want):
        fail(f"{label}: out/ contains {sorted(got)}, expected {sorted(want)}")
    for rel, data in want.items():
        with open(os.path.join(cwd, rel), "rb") as fh:
            if fh.read() != data:
                fail(f"{label}: {rel} does not have the right content (stale?)")


if not os.path.isfile("/app/site/Makefile"):
    fail("/app/site/Makefile is missing")

tmp = tempfile.mkdtemp()
try:
    proj = os.path.join(tmp, "copied site")
    shutil.copytree("/tests/site", proj)
    shutil.copyfile("/app/site/Makefile", os.path.join(proj, "Makefile"))
    base = time.time() - 1000
    age(proj, base)

    make(proj, "-j8")
    check_content(proj, "first build")
    age(proj, base)
    before = outputs(proj)
    make(proj)
    if outputs(proj) != before:
        fail("a second `make` without changes rebuilt something")

    pages = ["about", "index-notes", "roses", "tomatoes"]
    html = {f"out/{p}.html" for p in pages}
    steps = [
        (
            "pages/roses.md",
            "# Growing roses\n\nRoses need pruning in March.\n",
            {"out/roses.html", "out/index.html"},
        ),
        (
            "templates/page.html",
            "<html><title>{{title}}</title><nav>{{nav}}</nav>{{body}}</html>\n",
            html,
        ),
        ("templates/nav.html", '<a href="index.html">Start</a>\n', html),
        ("tools/index.py", None, {"out/index.html"}),
        ("tools/render.py", None, html),
        ("static/style.css", "body { color: green; }\n", {"out/static/style.css"}),
        (
            "pages/compost.md",
            "# Compost\n\nTurn it weekly.\n",
            {"out/compost.html", "out/index.html"},
        ),
        ("static/fonts.css", "/* fonts */\n", {"out/static/fonts.css"}),
        (
            "pages/about.md",
            "# About the club\n\nFounded in 1998.\n",
            {"out/about.html", "out/index.html"},
        ),
    ]
    for rel, text, want in steps:
        path = os.path.join(proj, rel)
        if text is None:
            with open(path, encoding="utf-8") as fh:
                text = fh.read() + "\n# touched\n"
        age(proj, base)
        before = outputs(proj)
        write(path, text)
        make(proj)
        after = outputs(proj)
        changed = {rel for rel, mtime in after.items() if before.get(rel) != mtime}
        if changed != want:
            fail(
                f"after changing {rel}: rebuilt {sorted(changed)}, expected exactly {sorted(want)}"
            )
        check_content(proj, f"after changing {rel}")

    make(proj, "clean")
    if os.path.exists(os.path.join(proj, "out")):
        fail("`make clean` did not remove out/")
    make(proj, "-j8")
    check_content(proj, "rebuild after clean")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
