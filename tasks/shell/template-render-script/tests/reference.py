"""Reference renderer (same rules as the task's instruction)."""

import re
import sys

KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
FILTER = r"(?:upper|lower|trim|default:[^|}\n]*)"
PLACEHOLDER = re.compile(
    r"\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]*)((?:[ \t]*\|[ \t]*" + FILTER + r")*)[ \t]*\}\}"
)
UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class RenderError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def read(path):
    try:
        with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
            return fh.read()
    except OSError as exc:
        raise RenderError(2, f"cannot read {path}: {exc.strerror}") from None


def load_vars(paths):
    values = {}
    for path in paths:
        for n, line in enumerate(read(path).split("\n"), 1):
            if line == "" or line.startswith("#"):
                continue
            key, sep, value = line.partition("=")
            if not sep or not KEY.fullmatch(key):
                raise RenderError(2, f"{path}:{n}: invalid line")
            values[key] = value
    return values


def apply(name, filters, values):
    value = values.get(name)
    for f in re.findall(r"\|[ \t]*(" + FILTER + ")", filters):
        if f.startswith("default:"):
            if not value:
                value = f[len("default:") :].strip(" \t")
        elif value is not None:
            value = (
                value.translate(UPPER)
                if f == "upper"
                else value.translate(LOWER)
                if f == "lower"
                else value.strip(" \t")
            )
    if value is None:
        raise RenderError(3, f"undefined variable {name}")
    return value


def render(text, values):
    out, i = [], 0
    while i < len(text):
        if text.startswith("\\{{", i):
            out.append("{{")
            i += 3
        elif text.startswith("{{", i):
            m = PLACEHOLDER.match(text, i)
            if not m:
                raise RenderError(2, f"invalid placeholder: {text[i : i + 30]!r}")
            out.append(apply(m.group(1), m.group(2), values))
            i = m.end()
        else:
            j = min(
                (k for k in (text.find("{{", i), text.find("\\{{", i)) if k >= 0), default=len(text)
            )
            if j == i:
                j = i + 1
            out.append(text[i:j])
            i = j
    return "".join(out)


def main(argv):
    try:
        if len(argv) < 2:
            raise RenderError(2, "usage: render TEMPLATE VARS [VARS...]")
        values = load_vars(argv[1:])
        result = render(read(argv[0]), values)
    except RenderError as exc:
        sys.stderr.write(f"render: {exc}\n")
        return exc.status
    sys.stdout.buffer.write(result.encode("utf-8", "surrogateescape"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
