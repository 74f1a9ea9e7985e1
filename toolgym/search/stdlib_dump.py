"""Dump the docstrings of the standard library as JSONL (run as a script, in a subprocess).

``python -I stdlib_dump.py OUT`` imports every public standard-library module and package
submodule it safely can and writes one line per documented module, class and function to
``OUT``. It runs in its own process, started by :mod:`toolgym.search.builtin` with a
timeout, from an empty working directory and with its output thrown away, because importing
arbitrary modules can print, hang, or change process state; an import that fails or takes
longer than a few seconds is skipped. It only uses the standard library (``-I`` keeps the
user's site-packages and working directory off ``sys.path``).
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import signal
import sys
import warnings

# Modules whose import does something (opens a browser, prints, starts a GUI or a test run),
# and trees that are only tests or generated tables.
SKIP = frozenset(
    {
        "antigravity",
        "this",
        "idlelib",
        "turtledemo",
        "test",
        "encodings",
        "lib2to3",
        "pydoc_data",
    }
)
SKIP_PARTS = frozenset({"test", "tests", "idle_test", "__main__"})
IMPORT_SECONDS = 5
MAX_TEXT = 20_000


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def _import(name: str) -> object | None:
    signal.alarm(IMPORT_SECONDS)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return importlib.import_module(name)
    except BaseException:  # ImportError, SyntaxWarning-as-error, SystemExit, a timeout, ...
        return None
    finally:
        signal.alarm(0)


def _skipped(name: str) -> bool:
    parts = name.split(".")
    return parts[0] in SKIP or any(p in SKIP_PARTS or p.startswith("_") for p in parts)


def module_names() -> list[str]:
    """Public top-level stdlib modules and, for packages, their public submodules."""
    names: list[str] = []
    for top in sorted(sys.stdlib_module_names):
        if _skipped(top):
            continue
        module = _import(top)
        if module is None:
            continue
        names.append(top)
        path = getattr(module, "__path__", None)
        if path:
            for info in pkgutil.walk_packages(path, top + ".", onerror=lambda _name: None):
                if not _skipped(info.name):
                    names.append(info.name)
    return sorted(set(names))


def _signature(obj: object) -> str:
    try:
        return str(inspect.signature(obj))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""


def _own_doc(obj: object) -> str:
    """The object's own docstring, cleaned (``inspect.getdoc`` would borrow a base class's)."""
    doc = getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if isinstance(doc, str) and doc.strip() else ""


def records(name: str) -> list[dict[str, str]]:
    module = _import(name)
    if module is None:
        return []
    out: list[dict[str, str]] = []
    doc = _own_doc(module)
    if doc:
        first = doc.strip().splitlines()[0].strip()
        out.append(
            {
                "id": f"module/{name}",
                "title": f"{name} module: {first}"[:200],
                "text": doc[:MAX_TEXT],
            }
        )
    public = getattr(module, "__all__", None)
    for attr in sorted(vars(module)):
        if attr.startswith("_") or (public is not None and attr not in public):
            continue
        obj = getattr(module, attr)
        if not (inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj)):
            continue
        # Documented where it is defined: in this module or in its C accelerator (``_heapq``
        # for ``heapq``), not where it is merely imported.
        if getattr(obj, "__module__", None) not in (name, f"_{name}"):
            continue
        member_doc = _own_doc(obj)
        if not member_doc:
            continue
        kind = "class" if inspect.isclass(obj) else "function"
        qualified = f"{name}.{attr}"
        out.append(
            {
                "id": f"api/{qualified}",
                "title": f"{qualified} ({kind})",
                "text": f"{qualified}{_signature(obj)}\n\n{member_doc}"[:MAX_TEXT],
            }
        )
    return out


def main(out_path: str) -> None:
    signal.signal(signal.SIGALRM, _alarm)
    with open(out_path, "w", encoding="utf-8") as handle:
        for name in module_names():
            for record in records(name):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()


if __name__ == "__main__":
    main(sys.argv[1])
