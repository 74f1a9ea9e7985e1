import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

SCRIPT = "/app/bin/mkrelease"
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "HOME": "/nonexistent",
    "LC_ALL": "C",
    "GIT_AUTHOR_NAME": "Test Builder",
    "GIT_AUTHOR_EMAIL": "builder@example.com",
    "GIT_COMMITTER_NAME": "Test Builder",
    "GIT_COMMITTER_EMAIL": "builder@example.com",
}


def fail(message):
    print(message)
    sys.exit(1)


class Repo:
    def __init__(self, path):
        self.path = path
        self.clock = 1716000000
        os.makedirs(path)
        self.git("init", "-q", "-b", "main")
        self.git("config", "core.autocrlf", "false")

    def git(self, *args):
        env = {
            **GIT_ENV,
            "GIT_AUTHOR_DATE": f"@{self.clock} +0000",
            "GIT_COMMITTER_DATE": f"@{self.clock} +0000",
        }
        proc = subprocess.run(
            ["git", "-c", "safe.directory=*", "-C", self.path, *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            fail(f"test setup: git {args} failed: {proc.stderr}")
        return proc.stdout

    def write(self, rel, text, mode=0o644):
        full = os.path.join(self.path, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as fh:
            fh.write(text)
        os.chmod(full, mode)

    def commit(self, message, files=None, modes=None):
        for rel, text in (files or {}).items():
            self.write(rel, text, (modes or {}).get(rel, 0o644))
        self.clock += 3600
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)

    def head(self):
        return self.git("rev-parse", "HEAD").strip()

    def state(self):
        return (
            self.git("for-each-ref", "--format=%(refname) %(objectname)"),
            self.git("status", "--porcelain", "--untracked-files=all"),
            self.git("rev-parse", "HEAD"),
        )

    def tracked(self):
        """path -> (content bytes, executable?) for the files in HEAD."""
        files = {}
        for line in self.git("ls-tree", "-r", "HEAD").splitlines():
            meta, path = line.split("\t", 1)
            mode, _, sha = meta.split()
            data = subprocess.run(
                ["git", "-C", self.path, "cat-file", "blob", sha],
                capture_output=True,
                env=GIT_ENV,
                check=True,
            ).stdout
            files[path] = (data, mode == "100755")
        return files


def run(args, cwd):
    try:
        return subprocess.run([SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        fail(f"mkrelease {args} timed out")


def check_release(repo, name, version, out_arg, cwd):
    base = f"{name}-{version}"
    before = repo.state()
    proc = run([repo.path, out_arg], cwd)
    if proc.returncode != 0:
        fail(
            f"mkrelease on {os.path.basename(repo.path)} exited {proc.returncode}: {proc.stderr.strip()[-500:]}"
        )
    if proc.stdout.strip() != f"{out_arg}/{base}.tar.gz":
        fail(f"mkrelease printed {proc.stdout.strip()!r}, expected {out_arg}/{base}.tar.gz")
    if repo.state() != before:
        fail("mkrelease modified the repository")
    out = os.path.join(cwd, out_arg)
    archive = os.path.join(out, f"{base}.tar.gz")
    if not os.path.isfile(archive):
        fail(
            f"{base}.tar.gz was not created (files: {sorted(os.listdir(out)) if os.path.isdir(out) else None})"
        )
    with open(archive, "rb") as fh:
        data = fh.read()
    try:
        with open(archive + ".sha256") as fh:
            sums = fh.read()
    except OSError:
        fail(f"{base}.tar.gz.sha256 is missing")
    if sums.strip("\n") != f"{hashlib.sha256(data).hexdigest()}  {base}.tar.gz":
        fail(f"{base}.tar.gz.sha256 is wrong: {sums!r}")

    want = repo.tracked()
    build_info = f"name={name}\nversion={version}\ncommit={repo.head()}\n".encode()
    want["BUILD-INFO"] = (build_info, None)
    got = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for m in tar.getmembers():
                name_in = m.name.rstrip("/")
                if m.isdir():
                    if name_in != base and not name_in.startswith(base + "/"):
                        fail(f"archive member {m.name!r} is not under {base}/")
                    continue
                if not m.isfile() or not name_in.startswith(base + "/"):
                    fail(f"unexpected archive member {m.name!r}")
                got[name_in[len(base) + 1 :]] = (tar.extractfile(m).read(), m.mode)
    except (tarfile.TarError, OSError, EOFError) as exc:
        fail(f"{base}.tar.gz is not a valid tar.gz: {exc}")
    if set(got) != set(want):
        fail(f"archive files {sorted(got)} != expected {sorted(want)}")
    for path, (content, executable) in want.items():
        if got[path][0] != content:
            fail(f"{path} in the archive does not have the committed content")
        if executable is not None and bool(got[path][1] & 0o111) != executable:
            fail(f"{path} in the archive has mode {oct(got[path][1])}")

    # Reproducible: later, with touched files, into another directory.
    time.sleep(1.1)
    later = time.time() + 500
    for dirpath, _, files in os.walk(repo.path):
        if "/.git" in dirpath + "/":
            continue
        for f in files:
            os.utime(os.path.join(dirpath, f), (later, later))
    again = os.path.join(cwd, out_arg + "-again")
    proc = run([repo.path, again], cwd)
    try:
        with open(os.path.join(again, f"{base}.tar.gz"), "rb") as fh:
            if fh.read() != data:
                fail("building the same commit again did not produce a byte-identical archive")
    except OSError:
        fail(f"the second build did not produce {base}.tar.gz ({proc.stderr.strip()[-300:]})")
    # Running again into the same directory replaces the outputs.
    if run([repo.path, out_arg], cwd).returncode != 0:
        fail("mkrelease failed when the outputs already existed")


if not (os.path.isfile(SCRIPT) and os.access(SCRIPT, os.X_OK)):
    fail(f"{SCRIPT} is missing or not executable")

tmp = tempfile.mkdtemp()
try:
    # A: HEAD carries a release tag (plus non-release tags).
    a = Repo(os.path.join(tmp, "acme tool"))
    a.commit(
        "init",
        {
            "NAME": "acme-tool\n",
            "README.md": "acme\n",
            ".gitignore": "*.tmp\n",
            "bin/acme": "#!/bin/sh\necho acme\n",
            "docs/user guide.md": "# Guide\n",
        },
        {"bin/acme": 0o755},
    )
    a.git("tag", "-a", "v1.9.0", "-m", "old")
    a.commit("more", {"lib/core.py": "X = 1\n", "lib/data/table.csv": "a,b\n1,2\n"})
    a.commit("release", {"CHANGES": "2.0.0\n"})
    a.git("tag", "v2.0.0")
    a.git("tag", "v2.0.0-rc2")
    a.git("tag", "stable")
    a.write("scratch.tmp", "ignored\n")
    a.write("notes.txt", "untracked\n")
    check_release(a, "acme-tool", "2.0.0", os.path.join(tmp, "out-a"), tmp)

    # B: commits after the nearest release tag (lightweight); decoy tags closer to HEAD.
    b = Repo(os.path.join(tmp, "libwidget"))
    b.commit("init", {"NAME": "  libwidget  \nsecond line\n", "src/w.c": "int w;\n"})
    b.git("tag", "-a", "v1.9.0", "-m", "annotated old release")
    b.commit("c2", {"src/w.c": "int w = 2;\n"})
    b.git("tag", "v1.10.0")
    b.commit("c3", {"src/x.c": "int x;\n"})
    b.git("tag", "v1.2")
    b.commit("c4", {"tools/run.sh": "#!/bin/sh\nexit 0\n"}, {"tools/run.sh": 0o755})
    b.git("tag", "-a", "v2.0.0-beta", "-m", "beta")
    b.commit("c5", {"src/x.c": "int x = 5;\n"})
    check_release(b, "libwidget", f"1.10.0.dev3+g{b.head()[:7]}", os.path.join(tmp, "out-b"), tmp)

    # C: no release tag at all; relative OUT_DIR.
    c = Repo(os.path.join(tmp, "gizmo"))
    c.commit("one", {"NAME": "gizmo\n"})
    c.git("tag", "nightly")
    c.commit("two", {"a.txt": "a\n"})
    c.git("tag", "v3")
    c.commit("three", {"b.txt": "b\n"})
    c.git("tag", "release-1.0.0")
    c.commit("four", {"a.txt": "aa\n"})
    check_release(c, "gizmo", f"0.0.0.dev4+g{c.head()[:7]}", "rel-out", tmp)

    # D: dirty trees are refused.
    for kind in ("modified", "staged", "deleted"):
        d = Repo(os.path.join(tmp, f"dirty-{kind}"))
        d.commit("one", {"NAME": "dirt\n", "f.txt": "1\n"})
        d.git("tag", "v1.0.0")
        if kind == "deleted":
            os.remove(os.path.join(d.path, "f.txt"))
        else:
            d.write("f.txt", "2\n")
            if kind == "staged":
                d.git("add", "f.txt")
        out = os.path.join(tmp, f"out-dirty-{kind}")
        proc = run([d.path, out], tmp)
        if proc.returncode != 3:
            fail(
                f"mkrelease on a work tree with a {kind} file exited {proc.returncode}, expected 3"
            )
        if not proc.stderr.strip():
            fail("mkrelease refused a dirty tree without an error message")
        if os.path.isdir(out) and any(n.endswith((".tar.gz", ".sha256")) for n in os.listdir(out)):
            fail(f"mkrelease created output files for a work tree with a {kind} file")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print("ok")
