"""Turn a repository task into a sandbox template: code at a base commit plus a test venv.

The steps (all on the host, the only place with network):

1. fetch the code (PyPI sdist, local directory, or a git commit's files) and the pinned test
   requirements as wheels, into :class:`~toolgym.repo.fetch.RepoCache`;
2. write a build context in the cache: the code as a fresh git repository with one commit (the
   base commit; no history that could reveal a fix), the task's bug patch already in it, the
   wheels, the file-tool helper, and a Dockerfile that installs the wheels offline into
   ``/opt/venv`` (``--system-site-packages`` off) and puts the code on its path;
3. hand that context to the sandbox backend's ordinary ``prepare``, which replays the
   Dockerfile offline and caches the template by content hash.

The pristine repository in the build context is also what graders diff against.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from toolgym.dockerfile import DockerfileError
from toolgym.repo.config import (
    PIP_REQUIREMENT,
    RepoConfig,
    RepoPrepareError,
    repo_config,
    task_file,
)
from toolgym.repo.fetch import (
    SANDBOX_PYTHON,
    FetchError,
    RepoCache,
    digest_bytes,
    export_directory,
    export_git_tree,
    fetch_sdist,
    fetch_wheels,
    git_repository,
    is_remote,
    sandbox_python_version,
    unpack_sdist,
)
from toolgym.sandbox import SandboxBackend, Template
from toolgym.task import Task

CONTEXT_FORMAT = "toolgym-repo-context-v2"
EDITOR_SOURCE = Path(__file__).with_name("editor.py")
EDITOR_PATH = "/opt/toolgym/editor.py"
VENV = "/opt/venv"
# Files that running code or tests leaves behind: never part of anyone's change.
GIT_EXCLUDES = (
    "__pycache__/",
    "*.py[cod]",
    ".pytest_cache/",
    ".hypothesis/",
    "*.egg-info/",
    ".eggs/",
    ".tox/",
    ".nox/",
    ".coverage",
    ".coverage.*",
)
BASE_DATE = "2000-01-01T00:00:00+00:00"
_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "toolgym",
    "GIT_AUTHOR_EMAIL": "toolgym@localhost",
    "GIT_COMMITTER_NAME": "toolgym",
    "GIT_COMMITTER_EMAIL": "toolgym@localhost",
    "GIT_AUTHOR_DATE": BASE_DATE,
    "GIT_COMMITTER_DATE": BASE_DATE,
}


@dataclass(frozen=True)
class PreparedRepo:
    """A repository task ready to run: its template and the pristine repository on the host."""

    task: Task
    config: RepoConfig
    template: Template
    context: Path
    base_commit: str
    python_path: tuple[str, ...]
    source_identity: str = ""

    @property
    def sdist_sha256(self) -> str | None:
        """The sdist's digest, for a PyPI source (to pin it in generated tasks)."""
        kind, _, digest = self.source_identity.partition("-")
        return digest if kind == "sdist" else None

    @property
    def repo_dir(self) -> Path:
        """The pristine repository (with its one-commit ``.git``) in the build context."""
        return self.context / "environment" / "repo"

    @property
    def git_dir(self) -> Path:
        return self.repo_dir / ".git"

    @property
    def workdir(self) -> str:
        return self.config.workdir


def _isolated_git(args: list[str], cwd: Path, stdin: bytes | None = None) -> str:
    result = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "core.autocrlf=false", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env={**os.environ, **_GIT_ENV},
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        raise subprocess.CalledProcessError(
            result.returncode, args, result.stdout, result.stderr.decode(errors="replace")
        )
    return result.stdout.decode()


def make_base_repository(repo: Path, bug_patch: bytes | None) -> str:
    """Apply the bug patch, then make ``repo`` a git repository with one commit; its hash.

    Fixed author, committer and dates make the same files always give the same commit.
    """
    if bug_patch:
        _isolated_git(["apply", "--whitespace=nowarn", "-"], repo, stdin=bug_patch)
    _isolated_git(["init", "--quiet"], repo)
    (repo / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("\n".join(GIT_EXCLUDES) + "\n")
    _isolated_git(["config", "user.name", "developer"], repo)
    _isolated_git(["config", "user.email", "developer@localhost"], repo)
    _isolated_git(["add", "--all", "--force", "."], repo)
    _isolated_git(["commit", "--quiet", "--no-verify", "--allow-empty", "-m", "base"], repo)
    return _isolated_git(["rev-parse", "HEAD"], repo).strip()


def detect_python_path(repo: Path) -> list[str]:
    """Where the code imports from: ``src/`` for a src layout, else the repository root."""
    src = repo / "src"
    if src.is_dir() and any(
        (child / "__init__.py").is_file() or child.suffix == ".py" for child in src.iterdir()
    ):
        return ["src"]
    return ["."]


def path_hook(roots: list[str]) -> str:
    """A ``.pth`` line putting the repository's code on ``sys.path`` just before site-packages.

    Before: the code under test wins over an installed copy of itself (testing ``iniconfig``
    or ``packaging``, which pytest also installs). After the standard library: a file in the
    repository can never shadow a standard module.
    """
    return (
        'import sys, sysconfig; p = sysconfig.get_paths()["purelib"]; '
        "i = sys.path.index(p) if p in sys.path else len(sys.path); "
        f"sys.path[i:i] = {json.dumps(roots)}"
    )


def render_dockerfile(config: RepoConfig, python_path: list[str], pip_wheel: str) -> str:
    """The generated Dockerfile: offline venv with the pinned wheels, then the repository."""
    wheels = "/tmp/toolgym-wheels"
    roots = [os.path.normpath(f"{config.workdir}/{p}") for p in python_path]
    requirements = " ".join(shlex.quote(r) for r in config.requirements)
    return (
        "# Generated by toolgym from the task's [repo] section; do not edit.\n"
        "FROM debian:bookworm-slim\n"
        "RUN apt-get update && apt-get install -y --no-install-recommends python3 "
        "python3-venv git \\\n    && rm -rf /var/lib/apt/lists/*\n"
        f"COPY wheels {wheels}\n"
        f"RUN {SANDBOX_PYTHON} -m venv --without-pip {VENV} \\\n"
        f"    && PIP_CONFIG_FILE=/dev/null {SANDBOX_PYTHON} {wheels}/{pip_wheel}/pip "
        f"--python {VENV}/bin/python install --quiet --no-index --no-cache-dir "
        f"--disable-pip-version-check --find-links {wheels} {requirements} \\\n"
        f"    && site=$({VENV}/bin/python -c "
        "'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])') \\\n"
        f'    && printf "%s\\n" {shlex.quote(path_hook(roots))} > "$site/toolgym-repo.pth" \\\n'
        f"    && rm -rf {wheels}\n"
        f"COPY editor.py {EDITOR_PATH}\n"
        f"COPY repo {config.workdir}\n"
        f"ENV PATH={VENV}/bin:$PATH VIRTUAL_ENV={VENV} PYTHONDONTWRITEBYTECODE=1\n"
        f"WORKDIR {config.workdir}\n"
    )


def _link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


class RepoPreparer:
    """Prepares repository tasks; remembers what it prepared (per process, per backend)."""

    def __init__(self, cache: RepoCache | None = None) -> None:
        self.cache = cache or RepoCache.default()
        self._done: dict[tuple[str, int], PreparedRepo] = {}
        self._lock = threading.Lock()

    def prepare(self, task: Task, backend: SandboxBackend) -> PreparedRepo:
        toml = task.path / "task.toml"
        config = repo_config(task)
        try:
            return self._prepare(task, config, backend)
        except FetchError as exc:
            raise RepoPrepareError(toml, str(exc), field=exc.field) from None
        except DockerfileError as exc:
            raise RepoPrepareError(
                toml,
                f"the test environment for {config.source_label()} failed to build: {exc}",
                field="[repo].requirements",
            ) from None
        except subprocess.CalledProcessError as exc:
            field = "[repo].bug_patch" if "apply" in exc.cmd else "[repo]"
            detail = exc.stderr if isinstance(exc.stderr, str) else ""
            raise RepoPrepareError(
                toml, f"git {' '.join(exc.cmd[:2])} failed: {detail.strip()[-800:]}", field=field
            ) from None

    def _source(self, task: Task, config: RepoConfig) -> tuple[str, Path]:
        if config.package:
            assert config.version is not None
            sdist = fetch_sdist(config.package, config.version, config.sha256, self.cache)
            return unpack_sdist(sdist, self.cache)
        location = config.git or config.path or ""
        field = "[repo].git" if config.git else "[repo].path"
        if not config.git or not is_remote(location):
            location = str((task.path / location).resolve())
        if config.base_commit:
            repo = git_repository(location, config.base_commit, self.cache)
            return export_git_tree(repo, config.base_commit, self.cache, field)
        return export_directory(Path(location), self.cache)

    def _prepare(self, task: Task, config: RepoConfig, backend: SandboxBackend) -> PreparedRepo:
        identity, tree = self._source(task, config)
        bug = (
            task_file(task, config.bug_patch, "[repo].bug_patch").read_bytes()
            if config.bug_patch
            else None
        )
        requirements = sorted({*config.requirements, PIP_REQUIREMENT})
        key = digest_bytes(
            CONTEXT_FORMAT,
            identity,
            bug or b"",
            sandbox_python_version(),
            *requirements,
            config.workdir,
            json.dumps(config.python_path),
            EDITOR_SOURCE.read_bytes(),
        )[:24]
        memo = (key, id(backend))
        with self._lock:
            if memo in self._done:
                return dataclasses.replace(self._done[memo], task=task, config=config)
        context = self._context(key, tree, bug, config, requirements)
        meta = json.loads((context / "context.json").read_text())
        build_task = dataclasses.replace(task, path=context)
        template = backend.prepare(build_task)
        prepared = PreparedRepo(
            task,
            config,
            template,
            context,
            meta["base_commit"],
            tuple(meta["python_path"]),
            identity,
        )
        with self._lock:
            self._done[memo] = prepared
        return prepared

    def _context(
        self,
        key: str,
        tree: Path,
        bug: bytes | None,
        config: RepoConfig,
        requirements: list[str],
    ) -> Path:
        final = self.cache.dir("contexts") / key
        with self.cache.lock(f"context-{key}"):
            if (final / "context.json").is_file():
                return final
            wheels = fetch_wheels(requirements, self.cache)
            tmp = self.cache.staging(final)
            try:
                env_dir = tmp / "environment"
                repo = env_dir / "repo"
                shutil.copytree(tree, repo, symlinks=True)
                base_commit = make_base_repository(repo, bug)
                python_path = config.python_path or detect_python_path(repo)
                (env_dir / "wheels").mkdir()
                pip_wheel = ""
                for wheel in sorted(wheels.glob("*.whl")):
                    _link_or_copy(wheel, env_dir / "wheels" / wheel.name)
                    if wheel.name.startswith("pip-"):
                        pip_wheel = wheel.name
                shutil.copy2(EDITOR_SOURCE, env_dir / "editor.py")
                (env_dir / "Dockerfile").write_text(
                    render_dockerfile(config, python_path, pip_wheel)
                )
                meta = {"base_commit": base_commit, "python_path": python_path, "key": key}
                (tmp / "context.json").write_text(json.dumps(meta, indent=1) + "\n")
                tmp.rename(final)
            finally:
                if tmp.exists():
                    shutil.rmtree(tmp, ignore_errors=True)
        return final


_default: RepoPreparer | None = None
_default_lock = threading.Lock()


def default_preparer() -> RepoPreparer:
    """The process-wide preparer over the default cache."""
    global _default
    with _default_lock:
        if _default is None:
            _default = RepoPreparer()
        return _default


def prepare_repo(
    task: Task, backend: SandboxBackend, preparer: RepoPreparer | None = None
) -> PreparedRepo:
    """Prepare ``task`` (fetch, build context, template); errors name task.toml's field."""
    return (preparer or default_preparer()).prepare(task, backend)
