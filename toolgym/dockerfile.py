"""Read a task's Dockerfile and turn the subset a local sandbox can honour into build steps.

The local backends build no image: they run the task on the host's own system directories
(read-only, copy-on-write) and replay the Dockerfile instructions that need neither an image
pull nor the network: ``WORKDIR``, ``COPY``/``ADD`` of local files, ``ENV``/``ARG``, and ``RUN``
(executed once, offline, when the task's template is prepared). Anything else is refused with an
error naming the Dockerfile line and pointing at the docker backend, because silently running a
task in the wrong environment would make its reward meaningless.
"""

from __future__ import annotations

import glob
import json
import posixpath
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from toolgym.sandbox.base import SYSTEM_PATH
from toolgym.task import Task

# Base images whose userland the host's Debian/Ubuntu system stands in for. The agent sees the
# host's tools; tasks that need another distribution's packages must use the docker backend.
_COMPATIBLE_BASE = re.compile(
    r"^(ubuntu|debian|python|buildpack-deps|bash|ubuntu-\d+-\d+|python-\d+-\d+)([:@].*)?$"
)
_TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
_NETWORK_TOOLS = re.compile(
    r"(^|[\s;&|(`])(curl|wget|apk|yum|dnf|zypper|pacman|conda|mamba|npm|yarn|pnpm|cargo|go\s+get|"
    r"git\s+clone\s+\S*(https?|git|ssh)://|uv\s+(sync|add|tool|run|venv|python)|pipx)\b"
)
BASE_VARIABLES = {"PATH": SYSTEM_PATH, "HOME": "/root"}
_IGNORED = {
    "CMD",
    "ENTRYPOINT",
    "EXPOSE",
    "LABEL",
    "MAINTAINER",
    "HEALTHCHECK",
    "STOPSIGNAL",
    "VOLUME",
}


class DockerfileError(ValueError):
    """A Dockerfile the local backend cannot honour, naming the file and line."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass
class Instruction:
    """One Dockerfile instruction after joining continuation lines."""

    line: int
    keyword: str
    args: str
    heredocs: list[str] = field(default_factory=list)

    def json_args(self) -> list[str] | None:
        text = self.args.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                return None
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return value
        return None


@dataclass
class CopyStep:
    """Copy files from the build context to ``dest`` inside the sandbox."""

    line: int
    sources: list[str]  # paths relative to the build context
    dest: str  # absolute path inside the sandbox
    dest_is_dir: bool
    extract: bool = False  # ADD of a local tar archive
    chmod: str | None = None
    content: str | None = None  # COPY <<EOF heredoc body


@dataclass
class RunStep:
    """A shell command executed once, offline, while the template is prepared."""

    line: int
    command: str
    workdir: str
    env: dict[str, str]
    shell: list[str]


@dataclass
class MkdirStep:
    line: int
    path: str


BuildStep = CopyStep | RunStep | MkdirStep


@dataclass
class LocalBuildPlan:
    """What the local backend replays from a Dockerfile."""

    dockerfile: Path
    base_image: str
    steps: list[BuildStep]
    env: dict[str, str]
    workdir: str
    notes: list[str] = field(default_factory=list)


def read_instructions(path: Path) -> list[Instruction]:
    """Split a Dockerfile into instructions (continuations, comments, heredocs, escape char)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DockerfileError(path, None, "missing") from None
    except UnicodeDecodeError as exc:
        raise DockerfileError(path, None, f"not valid UTF-8: {exc}") from None
    escape = "\\"
    for raw in lines:  # parser directives come first, as comments
        match = re.match(r"^\s*#\s*escape\s*=\s*(\S)\s*$", raw)
        if match:
            escape = match.group(1)
        elif not re.match(r"^\s*#\s*\w+\s*=", raw):
            break
    out: list[Instruction] = []
    i = 0
    while i < len(lines):
        start = i
        text = lines[i]
        i += 1
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        continued = text.rstrip().endswith(escape)
        while continued and i < len(lines):
            text = text.rstrip()
            if text.endswith(escape):
                text = text[:-1]
            nxt = lines[i]
            i += 1
            if nxt.lstrip().startswith("#") or not nxt.strip():
                continue  # comment and empty lines inside a continuation are dropped
            text += " " + nxt.strip()
            continued = nxt.rstrip().endswith(escape)
        keyword, _, args = text.strip().partition(" ")
        instruction = Instruction(line=start + 1, keyword=keyword.upper(), args=args.strip())
        for match in re.finditer(r"<<-?\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?", args):
            if instruction.keyword not in ("RUN", "COPY"):
                break
            terminator = match.group(1)
            body: list[str] = []
            while i < len(lines) and lines[i].strip() != terminator:
                body.append(lines[i])
                i += 1
            if i >= len(lines):
                raise DockerfileError(path, start + 1, f"heredoc <<{terminator} is never closed")
            i += 1
            instruction.heredocs.append("\n".join(body) + "\n")
        out.append(instruction)
    return out


def substitute(text: str, variables: dict[str, str]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}`` and ``${VAR:+alt}`` as Docker does."""

    def expand(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        op, word = match.group(3), match.group(4) or ""
        value = variables.get(name)
        if op == ":-":
            return value if value else word
        if op == ":+":
            return word if value else ""
        return value or ""

    pattern = r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:[-+])([^}]*))?\})"
    return re.sub(pattern, expand, text)


def _parse_key_values(args: str, legacy_single: bool) -> list[tuple[str, str]]:
    """``ENV a=1 b="two words"`` or the legacy ``ENV name value with spaces``."""
    parts = shlex.split(args, posix=True)
    if legacy_single and parts and "=" not in parts[0]:
        name, _, value = args.strip().partition(" ")
        return [(name, value.strip())]
    pairs = []
    for part in parts:
        name, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"expected NAME=VALUE, got {part!r}")
        pairs.append((name, value))
    return pairs


def _join(workdir: str, path: str) -> str:
    """Resolve ``path`` against ``workdir``, keeping a trailing slash (it means "a folder")."""
    joined = posixpath.normpath(posixpath.join(workdir, path))
    return joined + "/" if path.endswith("/") and joined != "/" else joined


def plan_local_build(task: Task) -> LocalBuildPlan:
    """Check a task's Dockerfile against the local subset and list the steps to replay."""
    path = task.dockerfile
    context = task.environment_dir
    instructions = read_instructions(path)
    env: dict[str, str] = {}
    args: dict[str, str] = {}
    workdir = "/"
    shell = ["/bin/sh", "-c"]
    base_image = ""
    steps: list[BuildStep] = []
    notes: list[str] = []
    docker_hint = "use the docker backend (--backend docker)"

    def fail(ins: Instruction, message: str) -> DockerfileError:
        return DockerfileError(path, ins.line, f"{ins.keyword} {ins.args[:80]}: {message}")

    for ins in instructions:
        # `ENV PATH=/opt/bin:$PATH` expands against the base environment, as in an image.
        variables = {**BASE_VARIABLES, **args, **env}
        if ins.keyword == "FROM":
            if base_image:
                raise fail(ins, f"multi-stage builds need an image build; {docker_hint}")
            tokens = [t for t in ins.args.split() if not t.startswith("--")]
            image = substitute(tokens[0], variables) if tokens else ""
            name = image.rsplit("/", 1)[-1]
            if not _COMPATIBLE_BASE.match(name):
                raise fail(
                    ins,
                    f"base image {image!r} is not a plain Debian/Ubuntu/Python image, so the "
                    f"host system cannot stand in for it; {docker_hint}",
                )
            base_image = image
        elif ins.keyword == "ARG":
            name, _, default = ins.args.strip().partition("=")
            args.setdefault(name.strip(), substitute(default.strip().strip("\"'"), variables))
        elif ins.keyword == "ENV":
            try:
                pairs = _parse_key_values(ins.args, legacy_single=True)
            except ValueError as exc:
                raise fail(ins, str(exc)) from None
            for name, value in pairs:
                env[name] = substitute(value, {**BASE_VARIABLES, **args, **env})
        elif ins.keyword == "WORKDIR":
            workdir = _join(workdir, substitute(ins.args.strip().strip("\"'"), variables))
            steps.append(MkdirStep(line=ins.line, path=workdir))
        elif ins.keyword in ("COPY", "ADD"):
            steps.append(_plan_copy(ins, context, workdir, variables, fail, docker_hint))
        elif ins.keyword == "RUN":
            if ins.args.startswith("--"):
                raise fail(ins, f"RUN flags (mounts, network) need an image build; {docker_hint}")
            command = _run_command(ins)
            match = _NETWORK_TOOLS.search(command)
            if match:
                raise fail(
                    ins,
                    f"'{match.group(2)}' needs the network, which the local backend never "
                    f"has; {docker_hint}",
                )
            try:
                command, satisfied = satisfy_package_installs(command)
            except PackageUnavailable as exc:
                raise fail(ins, f"{exc}; install them on the host or {docker_hint}") from None
            notes.extend(f"{path.name}:{ins.line}: {note}" for note in satisfied)
            if command.strip(": \n"):
                steps.append(RunStep(ins.line, command, workdir, dict(env), list(shell)))
        elif ins.keyword == "SHELL":
            value = ins.json_args()
            if not value:
                raise fail(ins, 'expected a JSON array, e.g. SHELL ["/bin/bash", "-c"]')
            shell = value
        elif ins.keyword == "USER":
            user = substitute(ins.args.strip(), variables).split(":")[0]
            if user not in ("root", "0"):
                raise fail(ins, f"the local backend runs tasks as root; {docker_hint}")
        elif ins.keyword in _IGNORED:
            notes.append(f"{path.name}:{ins.line}: {ins.keyword} ignored by the local backend")
        else:
            raise fail(ins, f"instruction not supported by the local backend; {docker_hint}")
    if not base_image:
        raise DockerfileError(path, None, "no FROM instruction")
    return LocalBuildPlan(path, base_image, steps, env, workdir, notes)


def _run_command(ins: Instruction) -> str:
    exec_form = ins.json_args()
    if exec_form is not None:
        return shlex.join(exec_form)
    command = ins.args
    for body in ins.heredocs:
        # RUN <<EOF ... EOF: the body is the script (Docker runs it with the shell).
        command = re.sub(r"<<-?\s*[\"']?[A-Za-z_][A-Za-z0-9_]*[\"']?", "", command, count=1)
        command = (command.strip() + "\n" if command.strip() else "") + body
    return command


def _plan_copy(ins, context, workdir, variables, fail, docker_hint) -> CopyStep:  # type: ignore[no-untyped-def]
    exec_form = ins.json_args()
    tokens = exec_form if exec_form is not None else shlex.split(ins.args)
    chmod = None
    rest: list[str] = []
    for token in tokens:
        if token.startswith("--from"):
            raise fail(ins, f"copying from another image needs an image build; {docker_hint}")
        if token.startswith("--chmod="):
            chmod = token.split("=", 1)[1]
        elif token.startswith("--"):
            continue  # --chown (everything is root's here), --link, --parents ...
        else:
            rest.append(substitute(token, variables))
    if ins.heredocs:
        if len(rest) < 2:
            raise fail(ins, "expected COPY <<EOF /destination")
        dest = _join(workdir, rest[-1])
        return CopyStep(ins.line, [], dest, False, chmod=chmod, content=ins.heredocs[0])
    if len(rest) < 2:
        raise fail(ins, "expected at least one source and a destination")
    *sources, dest = rest
    resolved: list[str] = []
    root = context.resolve()
    for source in sources:
        if re.match(r"^[a-z]+://", source):
            raise fail(ins, f"remote source {source!r} needs the network; {docker_hint}")
        matches = sorted(glob.glob(str(root / source.lstrip("/")))) or []
        if not matches:
            raise fail(ins, f"source {source!r} not found in the build context {context}")
        for match in matches:
            real = Path(match).resolve()
            if real != root and root not in real.parents:
                raise fail(ins, f"source {source!r} lies outside the build context")
            resolved.append(str(real.relative_to(root)) if real != root else ".")
    extract = ins.keyword == "ADD" and all(s.endswith(_TAR_SUFFIXES) for s in resolved)
    dest_is_dir = dest.endswith("/") or len(resolved) > 1 or extract
    return CopyStep(ins.line, resolved, _join(workdir, dest), dest_is_dir, extract, chmod)


# -- package installs --------------------------------------------------------------------------
# The local backend has no network, but a Dockerfile's `apt-get install jq` or `pip install
# pytest` is harmless when the host already has those packages: such commands are checked
# against the host (the sandbox runs on the host's /usr) and replaced by no-ops.

_SEGMENT_SPLIT = re.compile(r"(&&|\|\||;|\n)")
_APT = re.compile(r"^(?:sudo\s+)?(?:\w+=\S*\s+)*(apt-get|apt|aptitude)\s+(.*)$", re.DOTALL)
_PIP = re.compile(
    r"^(?:sudo\s+)?(?:\w+=\S*\s+)*(?:pip3?|python3?(?:\.\d+)?\s+-m\s+pip|uv\s+pip)"
    r"\s+install\s+(.*)$",
    re.DOTALL,
)
_APT_NOOP = re.compile(r"^rm\s+-r?f?r?\s+/var/lib/apt/lists/?\*?$")
_HOST_PYTHON = "/usr/bin/python3"


class PackageUnavailable(ValueError):
    """Packages a Dockerfile installs that the host does not have."""


def _words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def satisfy_package_installs(command: str) -> tuple[str, list[str]]:
    """Replace apt/pip install commands that the host already satisfies with ``:``.

    Returns the rewritten command and notes on what was satisfied; raises
    :class:`PackageUnavailable` naming the packages the host lacks.
    """
    parts = _SEGMENT_SPLIT.split(command)
    notes: list[str] = []
    for index in range(0, len(parts), 2):
        segment = parts[index].strip()
        if not segment:
            continue
        apt = _APT.match(segment)
        pip = _PIP.match(segment)
        if apt:
            words = [w for w in _words(apt.group(2)) if not w.startswith("-")]
            sub, packages = (words[0], words[1:]) if words else ("", [])
            if sub == "install":
                names = [re.split(r"[=:]", p)[0] for p in packages]
                _require_debian_packages(names)
                notes.append(f"apt packages satisfied by the host: {' '.join(names)}")
            elif sub not in (
                "update",
                "clean",
                "autoclean",
                "autoremove",
                "upgrade",
                "dist-upgrade",
                "purge",
                "remove",
            ):
                raise PackageUnavailable(f"'{apt.group(1)} {sub}' cannot run offline")
            parts[index] = " :"
        elif pip:
            words = _words(pip.group(1))
            if any(
                w in ("-r", "--requirement", "-e", "--editable") or w.startswith("-r")
                for w in words
            ):
                raise PackageUnavailable(
                    "pip install from a requirements file or a local project needs the network"
                )
            requirements = [w for w in words if not w.startswith("-")]
            notes.extend(_require_python_packages(requirements))
            parts[index] = " :"
        elif _APT_NOOP.match(segment):
            parts[index] = " :"
    return "".join(parts), notes


def _require_debian_packages(names: list[str]) -> None:
    if not names:
        return
    if shutil.which("dpkg-query") is None:
        raise PackageUnavailable(f"cannot check Debian packages {names} on this host (no dpkg)")
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Status}\n", *names],
        capture_output=True,
        text=True,
        check=False,
    )
    installed = {
        line.split()[0].split(":")[0]
        for line in result.stdout.splitlines()
        if line.endswith("install ok installed")
    }
    missing = [name for name in names if name not in installed]
    if missing:
        raise PackageUnavailable(f"the host lacks the Debian packages: {' '.join(missing)}")


def _require_python_packages(requirements: list[str]) -> list[str]:
    """Check requirements against the host's system Python (the one sandboxes run)."""
    if not requirements:
        return []
    names = [re.split(r"[<>=!~\[;@ ]", r, maxsplit=1)[0] for r in requirements]
    script = (
        "import importlib.metadata as m, json, sys\n"
        "out = {}\n"
        "for n in sys.argv[1:]:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: out[n] = None\n"
        "print(json.dumps(out))\n"
    )
    if not Path(_HOST_PYTHON).exists():
        raise PackageUnavailable(f"the host has no {_HOST_PYTHON} for pip packages {names}")
    result = subprocess.run(
        [_HOST_PYTHON, "-c", script, *names], capture_output=True, text=True, check=False
    )
    try:
        versions = json.loads(result.stdout)
    except json.JSONDecodeError:
        raise PackageUnavailable(f"could not check pip packages {names} on the host") from None
    missing = [name for name in names if versions.get(name) is None]
    if missing:
        raise PackageUnavailable(f"the host's {_HOST_PYTHON} lacks: {' '.join(missing)}")
    notes = []
    for requirement, name in zip(requirements, names, strict=True):
        pinned = re.search(r"==\s*([\w.]+)", requirement)
        if pinned and pinned.group(1) != versions[name]:
            notes.append(f"{requirement} requested; the host has {name} {versions[name]}")
        else:
            notes.append(f"pip package satisfied by the host: {name} {versions[name]}")
    return notes
