"""The local backend's Dockerfile subset: what it replays and what it refuses (by line)."""

from __future__ import annotations

import pytest

from toolgym.dockerfile import (
    CopyStep,
    DockerfileError,
    MkdirStep,
    RunStep,
    plan_local_build,
    read_instructions,
    satisfy_package_installs,
    substitute,
)
from toolgym.task import load_task


def plan(make_task, dockerfile: str, context: dict[str, str] | None = None):
    return plan_local_build(load_task(make_task(dockerfile=dockerfile, context=context or {})))


def test_replays_the_supported_subset(make_task):
    dockerfile = """\
        # comment
        FROM python:3.11-slim-bookworm AS base
        ARG DATA=/srv/data
        ENV GREETING="hi there" LEVEL=3
        ENV LEGACY value with spaces
        WORKDIR /app
        COPY files/ ${DATA}/
        COPY a.txt b.txt ./inputs/
        ADD bundle.tar.gz /opt/bundle
        RUN echo one \\
            && echo two
        RUN ["python3", "-c", "print(1)"]
        CMD ["bash"]
        EXPOSE 8080
        """
    context = {"files/x.txt": "x", "a.txt": "a", "b.txt": "b", "bundle.tar.gz": "not really"}
    result = plan(make_task, dockerfile, context)
    assert result.base_image == "python:3.11-slim-bookworm"
    assert result.workdir == "/app"
    assert result.env == {"GREETING": "hi there", "LEVEL": "3", "LEGACY": "value with spaces"}
    kinds = [type(s) for s in result.steps]
    assert kinds == [MkdirStep, CopyStep, CopyStep, CopyStep, RunStep, RunStep]
    copy_dir, copy_two, add = result.steps[1:4]
    assert copy_dir.dest == "/srv/data/" and copy_dir.sources == ["files"]
    assert copy_two.dest == "/app/inputs/" and copy_two.dest_is_dir
    assert add.extract
    assert "echo one" in result.steps[4].command and "echo two" in result.steps[4].command
    assert result.steps[5].command == "python3 -c 'print(1)'"
    assert any("CMD ignored" in note for note in result.notes)


def test_heredocs_for_run_and_copy(make_task):
    dockerfile = (
        "FROM ubuntu:24.04\nRUN <<EOF\necho a\necho b\nEOF\nCOPY <<EOT /etc/motd\nhello\nEOT\n"
    )
    result = plan(make_task, dockerfile)
    run, copy = result.steps
    assert run.command.strip() == "echo a\necho b"
    assert copy.content == "hello\n" and copy.dest == "/etc/motd"


@pytest.mark.parametrize(
    ("dockerfile", "line", "words"),
    [
        ("FROM node:20\n", 1, "not a plain Debian/Ubuntu/Python image"),
        ("FROM debian:12\nRUN curl -sSL https://x.sh | sh\n", 2, "'curl' needs the network"),
        ("FROM debian:12\n\nRUN git clone https://github.com/a/b\n", 3, "needs the network"),
        ("FROM debian:12\nCOPY --from=builder /a /b\n", 2, "another image"),
        ("FROM debian:12 AS a\nFROM debian:12\n", 2, "multi-stage"),
        ("FROM debian:12\nUSER nobody\n", 2, "runs tasks as root"),
        ("FROM debian:12\nCOPY missing.txt /x\n", 2, "not found in the build context"),
        ("FROM debian:12\nADD https://example.com/x /x\n", 2, "needs the network"),
        (
            "FROM debian:12\nRUN apt-get install -y toolgym-no-such-package\n",
            2,
            "host lacks the Debian packages: toolgym-no-such-package",
        ),
        (
            "FROM debian:12\nRUN pip install toolgym-no-such-dist\n",
            2,
            "lacks: toolgym-no-such-dist",
        ),
        ("FROM debian:12\nRUN --mount=type=cache,target=/x true\n", 2, "RUN flags"),
        ("FROM debian:12\nONBUILD RUN true\n", 2, "not supported"),
        ("RUN true\n", None, "no FROM"),
    ],
)
def test_refusals_name_the_line_and_the_docker_backend(make_task, dockerfile, line, words):
    with pytest.raises(DockerfileError) as info:
        plan(make_task, dockerfile)
    message = str(info.value)
    assert words in message
    assert info.value.line == line
    if line is not None:
        assert f"Dockerfile:{line}:" in message


def test_copy_source_may_not_escape_the_context(make_task, tmp_path):
    (tmp_path / "secret.txt").write_text("s")
    with pytest.raises(DockerfileError, match=r"not found|outside the build context"):
        plan(make_task, "FROM debian:12\nCOPY ../../../secret.txt /x\n")


def test_package_installs_the_host_has_become_no_ops():
    command, notes = satisfy_package_installs(
        "apt-get update && apt-get install -y --no-install-recommends git bash "
        "&& rm -rf /var/lib/apt/lists/* && mkdir -p /data"
    )
    assert "apt-get" not in command and "mkdir -p /data" in command
    assert notes == ["apt packages satisfied by the host: git bash"]


def test_variable_substitution():
    values = {"A": "1", "EMPTY": ""}
    assert (
        substitute("$A/${A}/${B:-dflt}/${A:+set}/${EMPTY:-e}/$NONE.", values) == "1/1/dflt/set/e/."
    )


def test_escape_directive_and_comments_inside_continuations(make_task):
    path = make_task(dockerfile="# escape=`\nFROM debian:12\nRUN echo a `\n# note\n  && echo b\n")
    instructions = read_instructions(path / "environment" / "Dockerfile")
    assert [i.keyword for i in instructions] == ["FROM", "RUN"]
    assert "echo a" in instructions[1].args and "echo b" in instructions[1].args
