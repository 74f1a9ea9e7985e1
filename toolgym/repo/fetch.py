"""Getting a repository's code and its test requirements onto the host, once.

Preparing is the only step with network access: a PyPI sdist (found through the index's
PEP 691 JSON API and checked against its sha256), the test requirements as wheels (``pip
download``, exact versions), or a git repository (cloned once). Everything lands in a cache
addressed by content, so later preparations are offline and identical. Sandboxes never download.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

from toolgym.sandbox.base import default_cache_dir

DEFAULT_INDEX = "https://pypi.org/simple"
SANDBOX_PYTHON = "/usr/bin/python3"
_SDIST_SUFFIXES = (".tar.gz", ".zip")
_JSON_API = "application/vnd.pypi.simple.v1+json"


class FetchError(RuntimeError):
    """Code or requirements that could not be obtained; ``field`` names the task setting."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def normalize_name(name: str) -> str:
    """A project name as the package index compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def index_url() -> str:
    """The package index: ``$TOOLGYM_PYPI_INDEX`` or PyPI."""
    return os.environ.get("TOOLGYM_PYPI_INDEX", DEFAULT_INDEX).rstrip("/")


@dataclass(frozen=True)
class RepoCache:
    """Where downloads, unpacked trees and generated build contexts live (by content)."""

    root: Path

    @classmethod
    def default(cls) -> RepoCache:
        """``$TOOLGYM_REPO_CACHE``, else ``repo/`` in toolgym's cache directory."""
        env = os.environ.get("TOOLGYM_REPO_CACHE")
        return cls(Path(env) if env else default_cache_dir() / "repo")

    def dir(self, kind: str) -> Path:
        path = self.root / kind
        path.mkdir(parents=True, exist_ok=True)
        return path

    @contextlib.contextmanager
    def lock(self, name: str) -> Iterator[None]:
        """An exclusive lock shared by every process using this cache."""
        with open(self.dir("locks") / f"{name}.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def staging(self, final: Path) -> Path:
        """A fresh sibling of ``final`` to build in before an atomic rename."""
        return final.with_name(f"{final.name}.tmp-{uuid.uuid4().hex[:8]}")


def digest_bytes(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode() if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


# -- PyPI sdists -------------------------------------------------------------------------------
def _sdist_version(filename: str, project: str) -> str | None:
    for suffix in _SDIST_SUFFIXES:
        if filename.endswith(suffix):
            name, _, version = filename[: -len(suffix)].rpartition("-")
            if normalize_name(name) == normalize_name(project):
                return version
    return None


def _resolve_sdist(package: str, version: str) -> tuple[str, str, str]:
    """(filename, url, sha256) of ``package==version``'s sdist, from the index."""
    import httpx  # only preparing talks to the network: keep importing toolgym light

    url = f"{index_url()}/{normalize_name(package)}/"
    try:
        response = httpx.get(url, headers={"Accept": _JSON_API}, timeout=60, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise FetchError(f"cannot reach the package index {url}: {exc}", "[repo].package") from exc
    if response.status_code == 404:
        raise FetchError(f"the package index has no project {package!r} ({url})", "[repo].package")
    if response.status_code != 200:
        raise FetchError(f"{url} answered HTTP {response.status_code}", "[repo].package")
    files = response.json().get("files", [])
    matches = [f for f in files if _sdist_version(f.get("filename", ""), package) == version]
    if not matches:
        versions = sorted(
            {v for f in files if (v := _sdist_version(f.get("filename", ""), package))}
        )
        raise FetchError(
            f"{package}=={version} has no sdist on the index (sdists exist for: "
            f"{', '.join(versions[-12:]) or 'none'})",
            "[repo].version",
        )
    best = sorted(matches, key=lambda f: not f["filename"].endswith(".tar.gz"))[0]
    sha = (best.get("hashes") or {}).get("sha256", "")
    return best["filename"], urljoin(str(response.url), best["url"]), sha


def fetch_sdist(package: str, version: str, sha256: str | None, cache: RepoCache) -> Path:
    """The sdist of ``package==version`` in the cache (downloaded and checked once)."""
    pins = cache.dir("pins") / f"{normalize_name(package)}-{version}.json"
    with cache.lock(f"sdist-{normalize_name(package)}-{version}"):
        if pins.is_file():
            pinned = json.loads(pins.read_text())
            path = cache.dir("sdists") / pinned["file"]
            if path.is_file() and (sha256 is None or pinned["sha256"] == sha256):
                return path
        import httpx

        filename, url, index_sha = _resolve_sdist(package, version)
        if sha256 and index_sha and sha256 != index_sha:
            raise FetchError(
                f"the index's sha256 for {filename} is {index_sha}, task.toml pins {sha256}",
                "[repo].sha256",
            )
        try:
            response = httpx.get(url, timeout=300, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot download {url}: {exc}", "[repo].package") from exc
        data = response.content
        actual = hashlib.sha256(data).hexdigest()
        expected = sha256 or index_sha
        if expected and actual != expected:
            raise FetchError(
                f"{filename}: sha256 {actual} does not match {expected}", "[repo].sha256"
            )
        suffix = ".tar.gz" if filename.endswith(".tar.gz") else ".zip"
        path = cache.dir("sdists") / f"{actual}{suffix}"
        tmp = cache.staging(path)
        tmp.write_bytes(data)
        tmp.rename(path)
        pins.write_text(json.dumps({"file": path.name, "sha256": actual, "filename": filename}))
        return path


def _extract_archive(archive: Path, dest: Path) -> None:
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(dest)
        return
    with tarfile.open(archive) as bundle:
        if hasattr(tarfile, "data_filter"):
            bundle.extractall(dest, filter="data")
        else:  # Python < 3.11.4: refuse members that would leave dest
            for member in bundle.getmembers():
                target = (dest / member.name).resolve()
                if dest.resolve() not in target.parents or member.issym() or member.islnk():
                    raise FetchError(f"{archive.name}: unsafe member {member.name}", "[repo]")
            bundle.extractall(dest)


def unpack_sdist(archive: Path, cache: RepoCache) -> tuple[str, Path]:
    """The sdist's tree (its single top folder stripped), unpacked once; (identity, path)."""
    identity = f"sdist-{archive.name.split('.')[0]}"
    final = cache.dir("trees") / identity
    with cache.lock(identity):
        if final.is_dir():
            return identity, final
        tmp = cache.staging(final)
        tmp.mkdir()
        try:
            _extract_archive(archive, tmp)
            entries = list(tmp.iterdir())
            top = entries[0] if len(entries) == 1 and entries[0].is_dir() else tmp
            if top is not tmp:
                top.rename(final)
                shutil.rmtree(tmp)
            else:
                tmp.rename(final)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return identity, final


# -- git and local sources ---------------------------------------------------------------------
def _git(*args: str, cwd: Path | None = None, input: bytes | None = None) -> bytes:
    result = subprocess.run(
        ["git", *args], cwd=cwd, input=input, capture_output=True, check=False, timeout=900
    )
    if result.returncode != 0:
        raise subprocess.CalledProcessError(
            result.returncode, ["git", *args], result.stdout, result.stderr
        )
    return result.stdout


def is_remote(location: str) -> bool:
    return "://" in location or re.match(r"^[\w.-]+@[\w.-]+:", location) is not None


def git_repository(location: str, commit: str, cache: RepoCache) -> Path:
    """A local git repository holding ``commit``: the path itself, or a cached mirror."""
    if not is_remote(location):
        path = Path(location)
        if not path.exists():
            raise FetchError(f"{path} does not exist", "[repo].git")
        return path
    mirror = cache.dir("git") / digest_bytes(location)[:24]
    with cache.lock(f"git-{mirror.name}"):
        try:
            if not mirror.is_dir():
                tmp = cache.staging(mirror)
                _git("clone", "--quiet", "--mirror", location, str(tmp))
                tmp.rename(mirror)
            if not _has_commit(mirror, commit):
                _git("fetch", "--quiet", "origin", cwd=mirror)
        except subprocess.CalledProcessError as exc:
            message = exc.stderr.decode(errors="replace").strip()[-800:]
            raise FetchError(f"cannot clone {location}: {message}", "[repo].git") from None
    return mirror


def _has_commit(repo: Path, commit: str) -> bool:
    try:
        _git("rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}", cwd=repo)
    except subprocess.CalledProcessError:
        return False
    return True


def export_git_tree(repo: Path, commit: str, cache: RepoCache, field: str) -> tuple[str, Path]:
    """The files of ``commit`` (no history: later commits could reveal the fix)."""
    try:
        tree = _git("rev-parse", "--verify", f"{commit}^{{tree}}", cwd=repo).decode().strip()
    except subprocess.CalledProcessError as exc:
        message = exc.stderr.decode(errors="replace").strip()
        raise FetchError(
            f"commit {commit!r} not found in {repo} ({message or 'not a git repository'})",
            "[repo].base_commit",
        ) from None
    except FileNotFoundError:
        raise FetchError("git is not installed on the host", field) from None
    identity = f"git-{tree}"
    final = cache.dir("trees") / identity
    with cache.lock(identity):
        if final.is_dir():
            return identity, final
        archive = _git("archive", "--format=tar", commit, cwd=repo)
        tmp = cache.staging(final)
        tmp.mkdir()
        with tarfile.open(fileobj=io.BytesIO(archive)) as bundle:
            if hasattr(tarfile, "data_filter"):
                bundle.extractall(tmp, filter="data")
            else:
                bundle.extractall(tmp)
        tmp.rename(final)
    return identity, final


def _ignore_git(_dir: str, names: list[str]) -> list[str]:
    return [n for n in names if n == ".git"]


def export_directory(path: Path, cache: RepoCache) -> tuple[str, Path]:
    """A plain directory's files (``.git`` left out), copied once by content."""
    if not path.is_dir():
        raise FetchError(f"{path} does not exist or is not a directory", "[repo].path")
    hasher = hashlib.sha256()
    for item in sorted(path.rglob("*")):
        rel = item.relative_to(path)
        if ".git" in rel.parts:
            continue
        hasher.update(f"\0{rel.as_posix()}\0{item.lstat().st_mode:o}\0".encode())
        if item.is_symlink():
            hasher.update(os.readlink(item).encode())
        elif item.is_file():
            hasher.update(item.read_bytes())
    identity = f"dir-{hasher.hexdigest()[:32]}"
    final = cache.dir("trees") / identity
    with cache.lock(identity):
        if not final.is_dir():
            tmp = cache.staging(final)
            shutil.copytree(path, tmp, symlinks=True, ignore=_ignore_git)
            tmp.rename(final)
    return identity, final


# -- wheels ------------------------------------------------------------------------------------
@cache
def sandbox_python_version() -> str:
    """``X.Y`` of the Python the sandboxes run (the host's system Python)."""
    try:
        out = subprocess.run(
            [SANDBOX_PYTHON, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise FetchError(
            f"{SANDBOX_PYTHON} (the sandboxes' Python) does not run: {exc}; install python3",
            "[repo]",
        ) from None
    return out.strip()


def _wheel_project(filename: str) -> str:
    return normalize_name(filename.split("-", 1)[0])


def fetch_wheels(requirements: list[str], cache: RepoCache) -> Path:
    """A folder with one wheel per pinned requirement (for an offline install)."""
    python = sandbox_python_version()
    pins = sorted(set(requirements))
    key = digest_bytes(python, *pins)[:24]
    final = cache.dir("wheels") / key
    with cache.lock(f"wheels-{key}"):
        if (final / "requirements.txt").is_file():
            return final
        tmp = cache.staging(final)
        tmp.mkdir()
        try:
            command = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--python-version",
                python,
                "--dest",
                str(tmp),
                *pins,
            ]
            try:
                result = subprocess.run(
                    command, capture_output=True, text=True, check=False, timeout=900
                )
            except subprocess.TimeoutExpired:
                raise FetchError("pip download timed out", "[repo].requirements") from None
            if result.returncode != 0:
                raise FetchError(
                    "pip download failed for the test requirements "
                    f"{pins}:\n{(result.stderr or result.stdout).strip()[-1500:]}",
                    "[repo].requirements",
                )
            have = {_wheel_project(p.name) for p in tmp.glob("*.whl")}
            missing = [
                p for p in pins if normalize_name(p.split("==")[0].split("[")[0]) not in have
            ]
            if missing:
                raise FetchError(f"no wheel was downloaded for {missing}", "[repo].requirements")
            (tmp / "requirements.txt").write_text("\n".join(pins) + "\n")
            tmp.rename(final)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    return final
