"""Create the project tree /app/project (under BASE, default /app) with a .releaseignore file."""

import os
import random
import sys

base = sys.argv[1] if len(sys.argv) > 1 else "/app"
root = os.path.join(base, "project")
rng = random.Random(1357)

IGNORE = """# release packaging rules
*.pyc
__pycache__/
*~
/build/
!build/keep.txt
/dist
*.log
!keep.log
docs/*.md
!docs/index.md
.env
tests/fixtures/*.bin
!tests/fixtures/small.bin
secret?.txt
[Tt]emp/
node_modules/
scripts/
!scripts/
"""

files = {
    "VERSION": "2.7.1  \n",
    "README.md": "# widget\n",
    ".editorconfig": "root = true\n",
    ".env": "TOKEN=xyz\n",
    ".releaseignore": IGNORE,
    ".git/HEAD": "ref: refs/heads/main\n",
    ".git/config": "[core]\n",
    "setup.py": "from setuptools import setup\n",
    "widget/__init__.py": "VERSION = '2.7.1'\n",
    "widget/core.py": "def run():\n    return 42\n",
    "widget/core.py~": "backup\n",
    "widget/__pycache__/core.cpython-311.pyc": "bytecode",
    "widget/util/__init__.py": "",
    "widget/util/strings.py": "def s():\n    pass\n",
    "widget/util/strings.pyc": "bytecode",
    "widget/util/__pycache__/x.pyc": "bytecode",
    "widget/data/keep.log": "this log is shipped\n",
    "widget/data/debug.log": "not shipped\n",
    "widget/data/table.csv": "a,b\n1,2\n",
    "build/lib/widget.so": "binary",
    "build/keep.txt": "cannot be re-included: build/ is excluded\n",
    "src/build/generated.py": "# a nested build dir is not the top-level /build/\n",
    "dist/widget-2.7.0.zip": "old release",
    "docs/index.md": "# docs index\n",
    "docs/usage.md": "usage\n",
    "docs/changelog.txt": "changes\n",
    "docs/internal/design.md": "* does not match / so this stays\n",
    "docs/img/logo.png": "png",
    "tests/test_core.py": "def test(): pass\n",
    "tests/fixtures/big.bin": "x" * 2000,
    "tests/fixtures/small.bin": "x",
    "tests/fixtures/deep/nested.bin": "nested bin is not directly in fixtures",
    "tests/fixtures/data.json": "{}\n",
    "secret1.txt": "s1",
    "secrets.txt": "secret? matches one character",
    "secret10.txt": "two characters: not matched",
    "config/secret2.txt": "matched at any depth",
    "Temp/scratch.txt": "x",
    "temp/scratch.txt": "x",
    "TEMP/scratch.txt": "case matters: shipped",
    "web/node_modules/lib/index.js": "js",
    "web/app.js": "console.log(1)\n",
    "bin/widget": '#!/bin/sh\nexec python3 -m widget "$@"\n',
    "bin/widget-admin": "#!/bin/sh\necho admin\n",
    "scripts/release.sh": "#!/bin/sh\necho release\n",
    "my docs/read me.txt": "spaces in names\n",
    "logs": "a file named logs\n",
}
for i in range(25):
    files[f"widget/plugins/plugin_{i:02d}.py"] = f"# plugin {i}\n" * rng.randint(1, 30)
    if rng.random() < 0.3:
        files[f"widget/plugins/plugin_{i:02d}.pyc"] = "bytecode"
    if rng.random() < 0.2:
        files[f"widget/plugins/plugin_{i:02d}.log"] = "log"

for rel, content in files.items():
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as fh:
        fh.write(content)
    os.chmod(path, 0o755 if content.startswith("#!") else 0o644)
os.symlink("widget/core.py", os.path.join(root, "core-link.py"))
