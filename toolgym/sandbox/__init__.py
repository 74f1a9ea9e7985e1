"""Sandbox backends: bubblewrap (default, local, milliseconds) and docker (full images)."""

from __future__ import annotations

from toolgym.sandbox.base import (
    ExecResult,
    Sandbox,
    SandboxBackend,
    SandboxUnavailable,
    Template,
    VerifierRun,
    limits_for,
)
from toolgym.sandbox.limits import ResourceLimits

BACKENDS = ("bwrap", "docker")

__all__ = [
    "BACKENDS",
    "ExecResult",
    "ResourceLimits",
    "Sandbox",
    "SandboxBackend",
    "SandboxUnavailable",
    "Template",
    "VerifierRun",
    "get_backend",
    "limits_for",
    "usable_backend",
]

_shared: dict[str, SandboxBackend] = {}


def get_backend(name: str = "bwrap") -> SandboxBackend:
    """The process-wide backend called ``name`` (created on first use)."""
    if name not in _shared:
        if name == "bwrap":
            from toolgym.sandbox.bwrap import BwrapBackend

            _shared[name] = BwrapBackend()
        elif name == "docker":
            from toolgym.sandbox.docker import DockerBackend

            _shared[name] = DockerBackend()
        else:
            raise ValueError(f"unknown sandbox backend {name!r}; choose one of {BACKENDS}")
    return _shared[name]


def usable_backend(backend: str | SandboxBackend) -> str | SandboxBackend:
    """The backend instance, or its name when it cannot run here: in-process environments
    (search, SQL) never use it, and sandboxed ones then fail with the reason."""
    if not isinstance(backend, str):
        return backend
    try:
        return get_backend(backend)
    except SandboxUnavailable:
        return backend
