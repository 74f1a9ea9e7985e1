"""Create a deterministic web site tree with messy permissions under the given directory."""

import os
import random
import sys

root = sys.argv[1]
rng = random.Random(4242)
dirs = [
    "",
    "bin",
    "public",
    "public/css",
    "public/js",
    "public/img",
    "public/img/icons",
    "private",
    "private/keys",
    "private/backups",
    "logs",
    "templates",
    "templates/partials",
]
files = {
    "bin": ["deploy", "rotate-logs", "healthcheck", "setup.sh"],
    "public": ["index.html", "about.html", ".htaccess", "robots.txt", "contact form.html"],
    "public/css": ["main.css", "print.css"],
    "public/js": ["app.js", "vendor.min.js", "build.sh"],
    "public/img": ["logo.png", "banner.jpg"],
    "public/img/icons": ["home.svg", "mail.svg", "user.svg"],
    "private": ["db.conf", "secrets.env", "restore.sh"],
    "private/keys": ["server.key", "server.crt"],
    "private/backups": ["db-2024-01-01.sql", "db-2024-02-01.sql"],
    "logs": ["access.log", "error.log"],
    "templates": ["base.html", "page.html", "render.sh"],
    "templates/partials": ["header.html", "footer.html"],
    "": ["README", "Makefile", "install.sh"],
}
file_modes = [0o777, 0o666, 0o600, 0o640, 0o755, 0o700, 0o444, 0o4755, 0o2644, 0o000, 0o664]
dir_modes = [0o777, 0o2775, 0o700, 0o750, 0o1777, 0o2755, 0o775]
for d in dirs:
    os.makedirs(os.path.join(root, d), exist_ok=True)
for d, names in files.items():
    for name in names:
        path = os.path.join(root, d, name)
        with open(path, "w") as fh:
            fh.write(
                f"# {d}/{name}\n"
                + "".join(f"line {rng.randint(0, 10**6)}\n" for _ in range(rng.randint(1, 8)))
            )
        os.chmod(path, rng.choice(file_modes))
os.symlink("index.html", os.path.join(root, "public", "home.html"))
os.symlink("../private/db.conf", os.path.join(root, "templates", "db-link.conf"))
for d in sorted(dirs, key=len, reverse=True):
    os.chmod(os.path.join(root, d), rng.choice(dir_modes))
