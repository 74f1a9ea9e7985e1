"""The docker backend: real runs need an engine and skip without one."""

from __future__ import annotations

import pytest

from toolgym.sandbox.base import SandboxUnavailable


def engine_available() -> bool:
    try:
        from toolgym.sandbox.docker import docker_client

        docker_client()
    except SandboxUnavailable:
        return False
    return True


def test_unreachable_engine_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    from toolgym.sandbox.docker import DockerBackend

    with pytest.raises(SandboxUnavailable, match="no Docker engine reachable"):
        DockerBackend()


@pytest.mark.docker
@pytest.mark.skipif(not engine_available(), reason="no Docker engine reachable")
def test_oracle_and_null_in_docker(make_task):
    from toolgym.check import check_task
    from toolgym.sandbox.docker import DockerBackend

    result = check_task(make_task(), DockerBackend())
    assert result.passed, result.problems
