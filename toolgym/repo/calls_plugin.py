"""A pytest plugin, run inside the sandbox by the bug generator, that records which functions
of the code under test the test suite calls (by file and first line).

It is standalone (stdlib + pytest only); ``TOOLGYM_CALLS_ROOT`` names the repository and
``TOOLGYM_CALLS_OUT`` the JSON file to write at the end of the session.
"""

from __future__ import annotations

import json
import os
import sys
import threading

_ROOT = os.environ.get("TOOLGYM_CALLS_ROOT", "/testbed").rstrip("/") + "/"
_seen: set[object] = set()


def _profile(frame, event, _arg):  # type: ignore[no-untyped-def]
    if event == "call":
        code = frame.f_code
        if code not in _seen:
            _seen.add(code)


def pytest_configure(config):  # type: ignore[no-untyped-def]
    sys.setprofile(_profile)
    threading.setprofile(_profile)


def pytest_unconfigure(config):  # type: ignore[no-untyped-def]
    sys.setprofile(None)
    threading.setprofile(None)
    calls: dict[str, list[int]] = {}
    for code in list(_seen):
        filename = os.path.abspath(code.co_filename)  # type: ignore[attr-defined]
        if filename.startswith(_ROOT):
            rel = filename[len(_ROOT) :]
            calls.setdefault(rel, []).append(code.co_firstlineno)  # type: ignore[attr-defined]
    out = os.environ.get("TOOLGYM_CALLS_OUT")
    if out:
        with open(out, "w") as handle:
            json.dump({k: sorted(set(v)) for k, v in sorted(calls.items())}, handle)
