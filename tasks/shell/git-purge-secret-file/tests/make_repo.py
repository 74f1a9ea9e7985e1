"""Build a repository in which a secrets file was committed by accident (sys.argv[1])."""

import os
import subprocess
import sys

repo = sys.argv[1]
os.makedirs(repo, exist_ok=True)
env = {**os.environ}
clock = [1714000000]
PEOPLE = {
    "jo": ("Jo Backend", "jo@example.com"),
    "mo": ("Mo Ops", "mo@example.net"),
}


def git(*args):
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def tick(who):
    clock[0] += 5000
    name, email = PEOPLE[who]
    env.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
        GIT_AUTHOR_DATE=f"@{clock[0]} -0500",
        GIT_COMMITTER_DATE=f"@{clock[0] + 120} -0500",
    )


def commit(who, message, files):
    for path, text in files.items():
        full = os.path.join(repo, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as fh:
            fh.write(text)
    tick(who)
    git("add", "-A")
    git("commit", "-q", "-m", message)


def secret(n):
    return (
        "# production credentials - DO NOT COMMIT\n"
        f"DB_PASSWORD=hunter{n}-Xq8#pL2v\n"
        f"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY{n:04d}EXAMPLEKEY\n"
        f"STRIPE_KEY=sk_live_51H{n}aZ9QmT7vY3kPq\n"
    )


git("init", "-q", "-b", "main")
git("config", "core.autocrlf", "false")
commit("jo", "Initial commit", {"README.md": "# api\n", "app/__init__.py": ""})
commit(
    "jo",
    "Add settings loader",
    {"app/settings.py": "import os\n\nDB = os.environ.get('DB_PASSWORD')\n"},
)
commit(
    "mo",
    "Add deployment config",
    {
        "config/secrets.env": secret(1),
        "config/secrets.env.example": "DB_PASSWORD=\nAWS_SECRET_ACCESS_KEY=\nSTRIPE_KEY=\n",
        "config/app.ini": "[app]\nworkers = 4\n",
        "deploy.sh": "#!/bin/sh\nset -a; . config/secrets.env; set +a\nexec gunicorn app\n",
    },
)
tick("mo")
git("tag", "-a", "v1.0", "-m", "Version 1.0\n\nFirst deployable version.")
commit("jo", "Add health endpoint", {"app/health.py": "def health():\n    return 'ok'\n"})
git("branch", "develop")
commit("mo", "Rotate API keys", {"config/secrets.env": secret(2)})
commit(
    "mo",
    "Scale workers and rotate DB password",
    {"config/secrets.env": secret(3), "config/app.ini": "[app]\nworkers = 8\n"},
)
git("checkout", "-q", "develop")
commit("jo", "Add metrics endpoint", {"app/metrics.py": "def metrics():\n    return {}\n"})
commit("jo", "Document endpoints", {"README.md": "# api\n\nEndpoints: /health, /metrics\n"})
git("checkout", "-q", "main")
tick("mo")
git("merge", "-q", "--no-ff", "-m", "Merge branch 'develop'", "develop")
tick("mo")
git("tag", "v1.1")
# This state was pushed to the shared server before anyone noticed.
git("remote", "add", "origin", "https://git.example.com/team/api.git")
git("update-ref", "refs/remotes/origin/main", "HEAD")
git("checkout", "-q", "develop")
commit("jo", "Start tracing support", {"app/tracing.py": "ENABLED = False\n"})
commit(
    "jo",
    "Local overrides for tracing",
    {"config/secrets.env": secret(4), "app/tracing.py": "ENABLED = True\n"},
)
git("checkout", "-q", "main")
commit("mo", "Tune workers", {"config/app.ini": "[app]\nworkers = 6\n"})
