"""Create the demo project repository /app/project (deterministic)."""

import os
import subprocess
import sys

repo = sys.argv[1]
os.makedirs(repo, exist_ok=True)
env = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Rel Eng",
    "GIT_AUTHOR_EMAIL": "releng@example.com",
    "GIT_COMMITTER_NAME": "Rel Eng",
    "GIT_COMMITTER_EMAIL": "releng@example.com",
}
clock = [1715000000]


def git(*args):
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def commit(message, files, mode=None):
    for path, text in files.items():
        full = os.path.join(repo, path)
        os.makedirs(os.path.dirname(full) or repo, exist_ok=True)
        with open(full, "w") as fh:
            fh.write(text)
        if mode and path in mode:
            os.chmod(full, mode[path])
    clock[0] += 86400
    env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{clock[0]} +0000"
    git("add", "-A")
    git("commit", "-q", "-m", message)


git("init", "-q", "-b", "main")
git("config", "core.autocrlf", "false")
commit(
    "Initial commit",
    {
        "NAME": "hello-cli\n",
        "README.md": "# hello-cli\n",
        "bin/hello": "#!/bin/sh\necho hello\n",
        ".gitignore": "*.log\n",
    },
    mode={"bin/hello": 0o755},
)
git("tag", "v0.9.0")
commit(
    "Add greeting option",
    {"bin/hello": '#!/bin/sh\necho "hello ${1:-world}"\n'},
    mode={"bin/hello": 0o755},
)
git("tag", "-a", "v1.0.0", "-m", "1.0.0")
commit("Add docs", {"docs/usage.md": "Run `hello NAME`.\n"})
git("tag", "v1.1.0-rc1")
commit("Polish docs", {"docs/usage.md": "Run `hello NAME` to greet NAME.\n"})
with open(os.path.join(repo, "build.log"), "w") as fh:
    fh.write("ignored build output\n")
