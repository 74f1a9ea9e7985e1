"""Reference rewriter for the hidden test (same rules as the instruction)."""

import calendar
import re
from decimal import ROUND_HALF_UP, Decimal

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
NUM = r"[0-9]+(?:\.[0-9]+)?"
PATTERN = re.compile(
    r"(?P<us>(?<![A-Za-z0-9/])(?P<m>[0-9]{1,2})/(?P<d>[0-9]{1,2})/(?P<y>[0-9]{4})(?![0-9/]))"
    r"|(?P<long>(?<![A-Za-z])(?P<mn>"
    + "|".join(MONTHS)
    + r") (?P<ld>[0-9]{1,2}), (?P<ly>[0-9]{4})(?![0-9]))"
    r"|(?P<dist>(?<![A-Za-z0-9.,-])(?P<miles>" + NUM + r") (?:miles|mile|mi)(?![A-Za-z0-9]))"
    r"|(?P<temp>(?<![A-Za-z0-9.,-])(?P<f>-?" + NUM + r") ?°F(?![A-Za-z]))"
)


def one_decimal(value):
    text = str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return "0.0" if text == "-0.0" else text


def iso(y, m, d, original):
    y, m, d = int(y), int(m), int(d)
    if y >= 1 and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]:
        return f"{y:04d}-{m:02d}-{d:02d}"
    return original


def convert(match):
    if match.group("us"):
        return iso(match.group("y"), match.group("m"), match.group("d"), match.group(0))
    if match.group("long"):
        return iso(
            match.group("ly"),
            MONTHS.index(match.group("mn")) + 1,
            match.group("ld"),
            match.group(0),
        )
    if match.group("dist"):
        return one_decimal(Decimal(match.group("miles")) * Decimal("1.609344")) + " km"
    f = Decimal(match.group("f"))
    return one_decimal((f - 32) * 5 / Decimal(9)) + "°C"


def rewrite_line(line):
    ticks = [i for i, ch in enumerate(line) if ch == "`"]
    out, pos = [], 0
    for a, b in zip(ticks[0::2], ticks[1::2], strict=False):
        out.append(PATTERN.sub(convert, line[pos:a]))
        out.append(line[a : b + 1])
        pos = b + 1
    out.append(PATTERN.sub(convert, line[pos:]))
    return "".join(out)


def rewrite(text):
    out, fenced = [], False
    for line in text.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
            out.append(line)
        else:
            out.append(line if fenced else rewrite_line(line))
    return "\n".join(out)
