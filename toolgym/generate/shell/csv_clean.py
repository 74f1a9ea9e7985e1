"""Family ``csv-clean``: apply stated cleaning rules to a messy CSV export.

The generator first draws clean records (the ground truth), then renders them with a seed-chosen
subset of defects: padding spaces, case variants in a categorical column, money written with
currency symbols and thousands separators (which forces quoting, so naive ``awk -F,`` breaks),
rows missing a required field, and duplicates that only become identical once the other rules
are applied. The expected file is built from the ground truth, never by re-parsing the rendered
text, so the check does not share a bug with the reference solution.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from toolgym.generate.base import Family, GeneratedTask, dockerfile
from toolgym.generate.shell.vocabulary import FIRST_NAMES, LAST_NAMES

FIRST = FIRST_NAMES
LAST = LAST_NAMES
DEFECTS = ("spaces", "case", "money", "missing", "duplicates")
CASE_WORDS = {
    "upper": "in upper case",
    "lower": "in lower case",
    "title": "capitalised (first letter upper case, the rest lower case)",
}


@dataclass(frozen=True)
class Theme:
    """One kind of export: its columns and which of them carry each kind of defect."""

    stem: str
    columns: tuple[str, ...]
    category: str  # the categorical column whose letter case varies
    values: tuple[str, ...]  # its canonical values
    case: str  # "upper", "lower" or "title": the canonical letter case
    money: str  # the money column
    required: tuple[str, ...]  # columns whose empty value makes a row unusable
    currency: str


THEMES = (
    Theme(
        "customers",
        ("customer_id", "name", "email", "country", "balance"),
        "country",
        ("US", "DE", "FR", "GB", "JP", "BR", "IN", "CA"),
        "upper",
        "balance",
        ("customer_id", "email"),
        "$",
    ),
    Theme(
        "orders",
        ("order_id", "customer", "status", "total", "order_date"),
        "status",
        ("shipped", "pending", "cancelled", "delivered", "returned"),
        "lower",
        "total",
        ("order_id", "order_date"),
        "$",
    ),
    Theme(
        "staff",
        ("emp_id", "name", "department", "salary", "email"),
        "department",
        ("Sales", "Engineering", "Support", "Marketing", "Finance", "Legal"),
        "title",
        "salary",
        ("emp_id", "email"),
        "€",
    ),
)


def _person(rng: random.Random) -> tuple[str, str]:
    """A full name and a matching e-mail address."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    domain = rng.choice(["example.com", "example.org", "mail.example.net"])
    email = f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@{domain}"
    return f"{first} {last}", email


def _canonical_row(theme: Theme, rng: random.Random, ident: int) -> dict[str, str]:
    """One clean record: what the agent's output must contain for it."""
    name, email = _person(rng)
    cents = rng.choice([rng.randint(50, 99_999), rng.randint(100_000, 2_500_000)])
    if rng.random() < 0.3:
        cents -= cents % rng.choice([10, 100])  # values such as 120.50 and 300.00
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    row = {
        theme.columns[0]: str(ident),
        "name": name,
        "customer": name,
        "email": email,
        "order_date": date,
        theme.category: rng.choice(theme.values),
        theme.money: f"{cents // 100}.{cents % 100:02d}",
    }
    return {column: row[column] for column in theme.columns}


def _case_variant(rng: random.Random, value: str) -> str:
    """The same word in a different letter case (never the canonical spelling itself)."""
    options = {value.lower(), value.upper(), value.capitalize(), value.swapcase()}
    mixed = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in value)
    options.add(mixed)
    options.discard(value)
    return rng.choice(sorted(options))


def _money_variant(rng: random.Random, value: str, currency: str) -> str:
    """``1234.50`` written as a person might: ``$1,234.50``, ``1234.5``, ``€ 1,234``."""
    whole, frac = value.split(".")
    number = f"{int(whole):,}" if int(whole) >= 1000 and rng.random() < 0.7 else whole
    if frac == "00" and rng.random() < 0.5:
        text = number
    elif frac.endswith("0") and rng.random() < 0.5:
        text = f"{number}.{frac[0]}"
    else:
        text = f"{number}.{frac}"
    if rng.random() < 0.6:
        text = currency + (" " if rng.random() < 0.3 else "") + text
    return text


def _pad(rng: random.Random, value: str) -> str:
    """Surround a value with one to three spaces on one or both sides."""
    left = " " * rng.randint(0, 3) if rng.random() < 0.7 else ""
    right = " " * rng.randint(1, 3) if not left or rng.random() < 0.5 else ""
    return left + value + right


def _render(theme: Theme, row: dict[str, str], defects: set[str], rng: random.Random) -> str:
    """One CSV line for ``row`` with this task's defects applied at random."""
    fields = []
    for column in theme.columns:
        value = row[column]
        if "case" in defects and column == theme.category and value and rng.random() < 0.55:
            value = _case_variant(rng, value)
        if "money" in defects and column == theme.money and value and rng.random() < 0.75:
            value = _money_variant(rng, value, theme.currency)
        if "spaces" in defects and rng.random() < 0.25:
            value = _pad(rng, value)
        fields.append(f'"{value}"' if "," in value else value)
    return ",".join(fields)


def _unique(lines: list[str]) -> list[str]:
    """``lines`` without repeats, keeping each first occurrence (the de-duplication rule)."""
    return list(dict.fromkeys(lines))


def _rules(theme: Theme, defects: set[str]) -> list[str]:
    """The cleaning rules, in the order they apply, for the defects this task has."""
    rules = []
    if "spaces" in defects:
        rules.append(
            "Remove leading and trailing spaces from every field (inside the quotes "
            "for a quoted field). Spaces inside a value, as in a full name, stay."
        )
    if "case" in defects:
        listed = ", ".join(f"`{v}`" for v in theme.values)
        rules.append(
            f"Write every `{theme.category}` value {CASE_WORDS[theme.case]}: the "
            f"valid values are {listed}, but the file spells some of them in "
            "other letter cases."
        )
    if "money" in defects:
        rules.append(
            f"Normalise `{theme.money}` to a plain number with exactly two digits "
            f"after the decimal point: drop the currency symbol `{theme.currency}`, "
            "any spaces and the thousands separators `,` (so "
            f'`"{theme.currency}1,234.5"` becomes `1234.50` and `980` becomes '
            "`980.00`)."
        )
    if "missing" in defects:
        needed = " or ".join(f"`{c}`" for c in theme.required)
        rules.append(
            f"Drop every row whose {needed} field is empty"
            + (" (after removing spaces)." if "spaces" in defects else ".")
        )
    if "duplicates" in defects:
        rules.append(
            "Drop every row that is identical, field by field after the rules above, "
            "to an earlier row; keep the first occurrence. Rows that differ in any "
            "field (even if they share an id) are all kept."
        )
    return rules


def _solution(theme: Theme, defects: set[str], src: str, dst: str) -> str:
    """A python3 program that applies the stated rules to the file, as an agent would."""
    case = {"upper": "v.upper()", "lower": "v.lower()", "title": "v.capitalize()"}[theme.case]
    return f"""#!/bin/bash
set -euo pipefail
python3 - <<'PY'
import csv

with open({src!r}, newline="", encoding="utf-8") as handle:
    header, *rows = list(csv.reader(handle))
col = {{name: i for i, name in enumerate(header)}}
out, seen = [], set()
for row in rows:
    if {"spaces" in defects}:
        row = [v.strip(" ") for v in row]
    if {"case" in defects}:
        v = row[col[{theme.category!r}]]
        row[col[{theme.category!r}]] = {case}
    if {"money" in defects}:
        v = row[col[{theme.money!r}]]
        for junk in ({theme.currency!r}, ",", " "):
            v = v.replace(junk, "")
        whole, _, frac = v.partition(".")
        row[col[{theme.money!r}]] = f"{{int(whole)}}.{{(frac + '00')[:2]}}"
    if {"missing" in defects} and any(row[col[c]] == "" for c in {list(theme.required)!r}):
        continue
    if {"duplicates" in defects}:
        if tuple(row) in seen:
            continue
        seen.add(tuple(row))
    out.append(",".join(row))
with open({dst!r}, "w", encoding="utf-8") as handle:
    handle.write("\\n".join([",".join(header), *out]) + "\\n")
PY
"""


class CsvClean(Family):
    name = "csv-clean"
    category = "data-wrangling"
    description = "clean a CSV export: trim, fix case, normalise money, drop bad and duplicate rows"

    def build(self, rng: random.Random) -> GeneratedTask:
        theme = rng.choice(THEMES)
        defects = set(rng.sample(DEFECTS, rng.randint(2, len(DEFECTS))))
        first_id = rng.randint(1000, 8000)
        truth = [_canonical_row(theme, rng, first_id + i) for i in range(rng.randint(40, 90))]
        # Each entry: the canonical row, its rendered line, and whether a rule drops it for a
        # missing field. Duplicates are found on the canonical rows below, by definition.
        entries = [(row, _render(theme, row, defects, rng), False) for row in truth]
        if "missing" in defects:
            for _ in range(rng.randint(3, 7)):
                row = _canonical_row(theme, rng, first_id + len(truth) + rng.randint(1, 999))
                row[rng.choice(theme.required)] = ""
                line = _render(theme, row, defects, rng)
                entries.insert(rng.randrange(len(entries) + 1), (row, line, True))
        if "duplicates" in defects:
            for _ in range(rng.randint(3, 8)):
                index = rng.randrange(len(entries) - 1)
                row, _line, missing = entries[index]
                if missing:
                    continue
                if rng.random() < 0.3:  # a near duplicate: same id, another amount, kept
                    row = dict(row)
                    whole, frac = row[theme.money].split(".")
                    row[theme.money] = f"{int(whole) + rng.randint(1, 50)}.{frac}"
                line = _render(theme, row, defects, rng)
                entries.insert(rng.randint(index + 1, len(entries)), (row, line, False))
        header = ",".join(theme.columns)
        src, dst = f"/app/data/{theme.stem}.csv", f"/app/data/{theme.stem}_clean.csv"
        raw = header + "\n" + "".join(line + "\n" for _row, line, _missing in entries)
        kept = _unique(
            [
                ",".join(row[c] for c in theme.columns)
                for row, _line, missing in entries
                if not missing
            ]
        )
        expected = header + "\n" + "".join(line + "\n" for line in kept)
        rules = "\n".join(f"{n}. {rule}" for n, rule in enumerate(_rules(theme, defects), 1))
        instruction = f"""\
`{src}` holds exported {theme.stem.removesuffix("s")} records under the header line
`{header}`. It is CSV: a field that contains a comma is enclosed in double
quotes; no field contains a double quote or a line break.

Clean it by applying these rules to every data row, in this order:

{rules}

Write the result to `{dst}`: the header line unchanged, then the remaining rows in their
original order, with LF line endings (also after the last line), fields separated by a single
comma and no quoting (no cleaned field contains a comma). Every field not mentioned by a rule
must be written exactly as it is in the input. Do not modify `{src}`.
"""
        difficulty = {2: "easy", 3: "medium"}.get(len(defects), "hard")
        return GeneratedTask(
            instruction=instruction,
            files={f"{theme.stem}.csv": raw},
            dockerfile=dockerfile(f"""\
                COPY {theme.stem}.csv {src}
                """),
            solution=_solution(theme, defects, src, dst),
            checks=[
                {"type": "text", "path": dst, "expected": expected, "mode": "exact"},
                {"type": "text", "path": src, "expected": raw, "mode": "exact"},
            ],
            difficulty=difficulty,
            tags=["csv", "python", "data-cleaning", *sorted(defects)],
        )
