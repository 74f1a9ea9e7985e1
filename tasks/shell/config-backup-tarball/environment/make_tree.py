"""Create a deterministic tree of configuration files under the given directory."""

import os
import random
import sys

root = sys.argv[1]
rng = random.Random(90210)
layout = {
    "app": ["main.conf", "logging.conf", "main.conf.bak", "notes.txt"],
    "app/plugins": ["auth.conf", "cache.conf", "cache.conf~", "metrics.conf"],
    "app/plugins/disabled": ["legacy.conf", "ldap.conf"],
    "db": ["primary.conf", "replica 1.conf", "replica 2.conf", "schema.sql"],
    "db/disabled": ["old-primary.conf"],
    "web": ["nginx.conf", "mime.types", "sites.conf"],
    "web/sites": ["shop.conf", "blog.conf", "api.conf", "README"],
    "web/sites/disabled/archive": ["forum.conf"],
    "web/snippets": ["ssl.conf", "headers.conf", "gzip.conf.disabled"],
    "disabled-not-really": ["keep.conf"],
    "": ["global.conf", "CHANGELOG", ".hidden.conf"],
}
keys = ["listen", "workers", "timeout", "user", "path", "level", "max_size", "enabled"]
for d, names in layout.items():
    os.makedirs(os.path.join(root, d), exist_ok=True)
    for name in names:
        with open(os.path.join(root, d, name), "w") as fh:
            fh.write(f"# {name}\n")
            for _ in range(rng.randint(2, 9)):
                fh.write(f"{rng.choice(keys)} = {rng.randint(1, 65535)}\n")
os.symlink("app/main.conf", os.path.join(root, "current.conf"))
