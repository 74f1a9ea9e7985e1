"""Create a web tree with working, broken, looping and ambiguous symlinks under BASE (default /app)."""

import os
import random
import sys

base = sys.argv[1] if len(sys.argv) > 1 else "/app"
rng = random.Random(90210)
www = os.path.join(base, "www")
ext = os.path.join(base, "vendor")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(text)


def link(rel, target):
    path = os.path.join(www, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    os.symlink(target, path)


files = [
    "index.html",
    "about/index.html",
    "about/team.html",
    "blog/index.html",
    "blog/2023/first-post.html",
    "blog/2023/second post.html",
    "blog/2024/new-year.html",
    "assets/img/logo.png",
    "assets/img/banner wide.jpg",
    "assets/img/icons/favicon.ico",
    "assets/css/site.css",
    "assets/css/print.css",
    "assets/js/app.js",
    "assets/js/vendor/jquery.min.js",
    "archive/manual/intro.html",
    "archive/manual/install.html",
    "archive/old/site.css",
    "docs/guide/getting-started.md",
    "docs/guide/faq.md",
    "docs/api/reference.md",
    "docs/api/changelog.md",
    "downloads/release-1.0.tar.gz",
    "downloads/release-2.0.tar.gz",
    "downloads/checksums.txt",
    "data/feeds/rss.xml",
    "data/feeds/atom.xml",
    "legal/privacy policy.html",
    "legal/terms.html",
]
words = ["alpha", "beta", "gamma", "delta", "omega", "kappa", "sigma", "theta", "zeta", "lambda"]
for _ in range(70):
    d = rng.choice(["pages", "pages/extra", "media", "media/photos", "notes", "notes/2022"])
    name = f"{rng.choice(words)}-{rng.randint(1, 40)}{rng.choice(['.html', '.txt', '.png', '.md'])}"
    files.append(f"{d}/{name}")
files = sorted(set(files))
for rel in files:
    write(os.path.join(www, rel), f"content of {rel}\n")
os.makedirs(os.path.join(www, "empty dir"), exist_ok=True)

# Things outside the web root that working links point to.
write(os.path.join(ext, "lib", "bootstrap.css"), "outside\n")
write(os.path.join(ext, "fonts", "font.woff"), "outside font\n")
write(os.path.join(ext, "site.css"), "outside css\n")

handmade = [
    # working links: must stay as they are
    ("current-release.tar.gz", "downloads/release-2.0.tar.gz"),
    ("assets/css/bootstrap.css", os.path.join(ext, "lib", "bootstrap.css")),
    ("assets/fonts", "../../vendor/fonts"),
    ("latest", "blog/2024"),
    ("latest-post", "latest/new-year.html"),
    ("docs/manual", "../archive/manual"),
    ("assets/logo", "img/logo.png"),
    ("blog/2023/self", "."),
    # broken, uniquely repairable
    ("img/logo.png", "../images/logo.png"),
    ("blog/banner.jpg", os.path.join(base, "srv", "www", "images", "banner wide.jpg")),
    ("docs/getting-started", "guide/getting-started.html"),
    ("docs/privacy.html", "../legal/privacy policy.html.bak/privacy policy.html"),
    ("manual", "docs/old/manual/"),
    ("blog/2024/feed", "../../feeds/rss.xml"),
    ("pages/checksums", os.path.join(www, "dl", "checksums.txt")),
    ("notes/jquery.min.js", "../js/jquery.min.js"),
    ("favicon.ico", "assets/favicon.ico"),
    ("about/terms", "terms.html"),
    # broken, name found in several places: removed
    ("home", "site/index.html"),
    ("assets/css/main.css", "site.css"),
    # broken, name found nowhere: removed
    ("downloads/release-3.0.tar.gz", "release-3.0.tar.gz"),
    ("blog/2023/draft", "drafts/unfinished.html"),
    # broken chain and loop: removed (no regular file carries those names)
    ("chain-a", "chain-b"),
    ("chain-b", "chain-missing"),
    ("loop-x", "loop-y"),
    ("loop-y", "loop-x"),
    # broken, and the only file of that name is reachable only through a link: removed
    ("pages/font.woff", "../fonts/font.woff"),
    # broken, points at a name that only a symlink carries: removed
    ("pages/current", "old/current-release.tar.gz"),
]
for rel, target in handmade:
    link(rel, target)

# Many more generated links to random names; some exist once, some several times, some never.
names = sorted({os.path.basename(f) for f in files})
taken = {rel for rel, _ in handmade}
for i in range(45):
    d = rng.choice(["", "pages", "media", "notes", "shortcuts", "shortcuts/deep/er"])
    if rng.random() < 0.7:
        name = rng.choice(names)
    else:
        name = f"{rng.choice(words)}-{rng.randint(41, 60)}.html"
    rel = os.path.join(d, f"ln-{i:02d} {name}")
    target = os.path.join(
        rng.choice(["..", "old", "../moved", os.path.join(base, "old-www")]), name
    )
    if rel not in taken:
        taken.add(rel)
        link(rel, target)
