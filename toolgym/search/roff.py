"""Manual pages as plain text: roff (man(7) and mdoc(7)) markup stripped, sensibly.

Not a roff formatter: requests that only lay text out are dropped, font and glyph escapes
become their text, and macro arguments are kept as words, which is all a search index and an
agent reading the page need. ``.so`` pages (aliases of another page) are recognised so the
caller can skip them.
"""

from __future__ import annotations

import re

# Requests that start a new paragraph or line, and requests whose line carries nothing to read.
_BREAKS = frozenset({"PP", "LP", "P", "TP", "TQ", "br", "sp", "Pp", "Lp", "Bl", "El", "Bd", "Ed"})
_DROP = frozenset(
    {
        "RS", "RE", "nf", "fi", "in", "ti", "ad", "na", "hy", "nh", "ne", "ft", "ps", "vs",
        "ds", "nr", "if", "ie", "el", "ta", "ll", "pl", "bp", "ns", "rs", "tr", "cs", "ss",
        "UC", "PD", "DT", "HP", "ce", "rm", "als", "ev", "mso", "Dd", "Os", "Dt", "TS", "TE",
        "EQ", "EN", "Sh", "Ss", "it", "lf", "hw", "cc", "c2", "ec", "eo", "ig", "do", "Ek",
        "Bk", "Ef", "Bf", "Pf", "Ns",
    }
)  # fmt: skip
_HEADINGS = frozenset({"SH", "SS", "Sh", "Ss"})
_NAMED_GLYPHS = {
    "em": "-", "en": "-", "hy": "-", "mi": "-", "aq": "'", "dq": '"', "lq": '"', "rq": '"',
    "oq": "'", "cq": "'", "bu": "*", "co": "(c)", "rg": "(R)", "tm": "(TM)", "ga": "`",
    "ha": "^", "ti": "~", "rs": "\\", "sl": "/", "ba": "|", "or": "|", "pl": "+", "eq": "=",
    "lt": "<", "gt": ">", "<=": "<=", ">=": ">=", "!=": "!=", "mu": "x", "de": "deg",
    "Fo": "<<", "Fc": ">>", "fo": "<", "fc": ">", "Aq": "'", "ul": "_", "at": "@", "sh": "#",
    "Do": "$", "ct": "c", "dg": "+", "->": "->", "<-": "<-", "ua": "^", "da": "v",
}  # fmt: skip
_ESCAPE = re.compile(
    r"""\\(?:
        f(?:\[[^\]]*\]|\(..|.)            # font change
      | s[+-]?(?:\d|\(\d\d|\[[^\]]*\])    # size change
      | [*n](?:\[[^\]]*\]|\(..|.)         # string or number register
      | \((?P<glyph2>..)                  # two-letter glyph
      | \[(?P<glyph>[^\]]*)\]             # named glyph
      | [kzhvwlLHNSxXDbo]'[^']*'          # motions, widths, lines, overstrikes
      | (?P<char>.)                       # any other one-character escape
    )""",
    re.VERBOSE,
)
_SIMPLE = {"-": "-", "e": "\\", "\\": "\\", " ": " ", "~": " ", "0": " ", "t": "\t", "'": "'"}
_ARGUMENT = re.compile(r'"((?:[^"]|"")*)"?|(\S+)')
_MDOC_INLINE = re.compile(r"^[A-Z][a-z]{1,2}$")


def _glyph(name: str) -> str:
    return _NAMED_GLYPHS.get(name, "")


def _replace_escape(match: re.Match[str]) -> str:
    kind = match.lastgroup  # which named alternative matched; None: a font, size, register
    if kind is None:
        return ""
    value = match.group(kind)
    return _SIMPLE.get(value, "") if kind == "char" else _glyph(value)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    text = text.split('\\"', 1)[0]  # an in-line comment
    return _ESCAPE.sub(_replace_escape, text)


def _arguments(line: str) -> list[str]:
    """Macro arguments: words, or double-quoted strings (``""`` is a literal quote)."""
    return [
        m.group(2) if m.group(1) is None else m.group(1).replace('""', '"')
        for m in _ARGUMENT.finditer(line)
    ]


def _mdoc_words(words: list[str]) -> str:
    """Arguments of an mdoc line: inline macro names dropped, ``Fl x`` as ``-x``."""
    out: list[str] = []
    flag = False
    for word in words:
        if word == "Fl":
            flag = True
            continue
        if _MDOC_INLINE.match(word) and word not in ("No", "Ns"):
            continue
        out.append(f"-{word}" if flag else word)
        flag = False
    return " ".join(out)


def is_alias_page(source: str) -> bool:
    """A page that only sources another (``.so man1/other.1``)."""
    if len(source) > 2000:
        return False
    lines = [line for line in source.splitlines() if line.strip() and not line.startswith('.\\"')]
    return len(lines) <= 2 and any(line.startswith(".so ") for line in lines)


def page_title(source: str) -> str | None:
    """``name(section)`` from the ``.TH`` or ``.Dt`` line, if there is one."""
    for line in source.splitlines()[:200]:
        if line.startswith((".TH ", ".Dt ")):
            words = _arguments(_unescape(line[4:]))
            if len(words) >= 2:
                return f"{words[0].lower() if line.startswith('.Dt') else words[0]}({words[1]})"
    return None


def roff_to_text(source: str) -> str:
    """The readable text of a man page."""
    out: list[str] = []
    skipping_definition = False
    for raw in source.splitlines():
        if skipping_definition:
            if raw.startswith(".."):
                skipping_definition = False
            continue
        if raw.startswith(('.\\"', "'\\\"")) or raw in (".", "'"):
            continue
        if raw.startswith((".", "'")):
            request, _, rest = raw[1:].lstrip().partition(" ")
            if request in ("de", "de1", "am"):
                skipping_definition = True
                continue
            if request in _DROP or not request:
                continue
            if request in _BREAKS:
                out.append("")
                continue
            words = _arguments(_unescape(rest))
            if request in _HEADINGS:
                out += ["", " ".join(words).upper() if request in ("SH", "Sh") else " ".join(words)]
            elif request in ("IP", "It"):
                out += ["", _mdoc_words(words)]
            elif request in ("BR", "RB", "IR", "RI", "BI", "IB"):
                out.append("".join(words))
            elif _MDOC_INLINE.match(request) or request in ("B", "I", "SM", "SB", "UR", "MT"):
                text = _mdoc_words(words)
                out.append(f"-{text}" if request == "Fl" else text)
            continue
        out.append(_unescape(raw))
    text = "\n".join(line.rstrip() for line in out)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
