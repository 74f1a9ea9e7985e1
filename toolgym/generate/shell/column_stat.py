"""Family ``column-stat``: compute a statistic of one column over the rows that pass a filter.

The table is CSV or TSV with its columns in a seed-chosen order, so the agent must read the
header. Harder draws add a free-text column whose quoted values contain commas (which breaks
``awk -F,``), empty cells in the target column (which must be skipped, not read as 0), and a
second filter condition. The exact answer is computed with fractions and drawn so that it is
never close to a rounding tie: any correct computation rounds to the same value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from toolgym.generate.base import Family, GeneratedTask, dockerfile

NOTES = [
    "checked, ok",
    "late delivery",
    "re-packed, see ticket",
    "customer called, twice",
    "priority",
    "damaged box, replaced",
    "n/a",
    "backorder, partial",
    "gift wrap",
]
STATS = {
    "sum": "the sum",
    "mean": "the arithmetic mean",
    "median": "the median (for an even number of values, the mean of the two middle ones)",
    "min": "the minimum",
    "max": "the maximum",
    "distinct": "the number of distinct values",
}
OPS = {">": "greater than", ">=": "at least", "<": "less than", "<=": "at most"}


@dataclass(frozen=True)
class Column:
    """A column: categorical (``values``), an identifier (``values`` + a number in
    ``low``..``high``), an integer or a two-decimal number (``low``..``high``)."""

    name: str
    kind: str  # "cat", "key", "int" or "dec"
    values: tuple[str, ...] = ()
    low: float = 0
    high: float = 0

    def draw(self, rng: random.Random) -> str:
        if self.kind == "cat":
            return rng.choice(self.values)
        if self.kind == "key":
            return f"{self.values[0]}{rng.randint(int(self.low), int(self.high)):03d}"
        if self.kind == "int":
            return str(rng.randint(int(self.low), int(self.high)))
        cents = rng.randint(round(self.low * 100), round(self.high * 100))
        return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


THEMES: dict[str, tuple[Column, ...]] = {
    "sales": (
        Column("region", "cat", ("North East", "South West", "Central", "Coastal", "Highlands")),
        Column("product", "cat", ("widget", "gadget", "gizmo", "sprocket", "flange")),
        Column("customer", "key", ("C-",), low=1, high=160),
        Column("units", "int", low=1, high=60),
        Column("unit_price", "dec", low=0.5, high=250),
        Column("discount_pct", "int", low=0, high=40),
    ),
    "sensors": (
        Column("site", "cat", ("Plant A", "Plant B", "Depot North", "Depot South")),
        Column("sensor", "cat", ("temp", "humidity", "pressure", "vibration")),
        Column("device", "key", ("dev-",), low=1, high=120),
        Column("reading", "dec", low=-20, high=120),
        Column("battery_pct", "int", low=5, high=100),
        Column("hour", "int", low=0, high=23),
    ),
    "shipments": (
        Column("carrier", "cat", ("FastShip", "Blue Freight", "Parcel Pro", "NorthLine")),
        Column("origin", "cat", ("Oslo", "Lyon", "Porto", "Gdansk", "Riga", "Turin")),
        Column("postcode", "key", ("",), low=100, high=260),
        Column("weight_kg", "dec", low=0.1, high=80),
        Column("distance_km", "int", low=5, high=2500),
        Column("cost", "dec", low=3, high=900),
    ),
}


@dataclass(frozen=True)
class Condition:
    column: str
    op: str  # "==" or one of OPS
    value: str

    def holds(self, row: dict[str, str]) -> bool:
        if self.op == "==":
            return row[self.column] == self.value
        got, limit = Fraction(row[self.column]), Fraction(self.value)
        return {">": got > limit, ">=": got >= limit, "<": got < limit, "<=": got <= limit}[self.op]

    def describe(self) -> str:
        if self.op == "==":
            return f"`{self.column}` is exactly `{self.value}`"
        return f"`{self.column}` is {OPS[self.op]} {self.value}"


def _fits(stat: str, column: Column) -> bool:
    """Whether asking ``stat`` of ``column`` has an answer that cannot be guessed.

    Distinct counts need an identifier column (a handful of categories is guessable); minima
    and maxima need a wide range (the minimum of a 0..40 column over hundreds of rows is 0).
    """
    if stat == "distinct":
        return column.kind == "key"
    if stat in ("min", "max"):
        return column.kind == "dec" or (column.kind == "int" and column.high - column.low >= 1000)
    return column.kind in ("int", "dec")


def _statistic(stat: str, values: list[str]) -> Fraction:
    """The exact statistic of the non-empty ``values``."""
    if stat == "distinct":
        return Fraction(len(set(values)))
    numbers = sorted(Fraction(v) for v in values)
    if stat == "sum":
        return sum(numbers, Fraction(0))
    if stat == "mean":
        return sum(numbers, Fraction(0)) / len(numbers)
    if stat == "median":
        middle = len(numbers) // 2
        if len(numbers) % 2:
            return numbers[middle]
        return (numbers[middle - 1] + numbers[middle]) / 2
    return numbers[0] if stat == "min" else numbers[-1]


def _near_tie(value: Fraction, places: int) -> bool:
    """Whether ``value`` is within 1% of a unit in the last place of a rounding tie."""
    scaled = abs(value) * 10**places
    return abs(scaled - int(scaled) - Fraction(1, 2)) < Fraction(1, 100)


def _round(value: Fraction, places: int) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _condition(rng: random.Random, column: Column, rows: list[dict[str, str]]) -> Condition:
    """A filter on ``column`` whose threshold is one of the values that occur."""
    if column.kind == "cat":
        return Condition(column.name, "==", rng.choice(column.values))
    value = rng.choice([row[column.name] for row in rows])
    return Condition(column.name, rng.choice(sorted(OPS)), value)


def _render(rows: list[list[str]], delimiter: str) -> str:
    """CSV (quoting a field that holds a comma) or TSV text."""

    def field(value: str) -> str:
        return f'"{value}"' if delimiter == "," and "," in value else value

    return "".join(delimiter.join(field(v) for v in row) + "\n" for row in rows)


class ColumnStat(Family):
    name = "column-stat"
    category = "text-processing"
    description = "compute sum/mean/median/min/max/distinct of a column over filtered rows"

    def build(self, rng: random.Random) -> GeneratedTask:
        theme = rng.choice(sorted(THEMES))
        columns = list(THEMES[theme])
        delimiter = rng.choice([",", "\t"])
        quoted = delimiter == "," and rng.random() < 0.5
        blanks = rng.random() < 0.5
        if quoted:
            columns.append(Column("note", "cat", tuple(NOTES)))
        rng.shuffle(columns)
        drawn = [{c.name: c.draw(rng) for c in columns} for _ in range(rng.randint(300, 1200))]
        while True:  # redraw the question until its answer is well-defined and not trivial
            stat = rng.choice(sorted(STATS))
            target = rng.choice([c for c in columns if _fits(stat, c)])
            others = [
                c
                for c in columns
                if c.kind in ("cat", "int", "dec") and c is not target and c.name != "note"
            ]
            conditions = [_condition(rng, c, drawn) for c in rng.sample(others, rng.choice([1, 2]))]
            rows = [dict(row) for row in drawn]
            if blanks:
                for row in rows:
                    if rng.random() < 0.08:
                        row[target.name] = ""
            values = [
                row[target.name]
                for row in rows
                if row[target.name] != "" and all(c.holds(row) for c in conditions)
            ]
            places = (
                0
                if stat == "distinct" or (target.kind == "int" and stat == "sum")
                else (rng.choice([0, 1, 2]))
            )
            if stat in ("min", "max"):
                places = 2 if target.kind == "dec" else 0
            if len(values) < 5 or len(values) > len(rows) * 0.8:
                continue
            exact = _statistic(stat, values)
            if not _near_tie(exact, places):
                break
        ext = "csv" if delimiter == "," else "tsv"
        path = f"/app/data/{theme}.{ext}"
        header = [c.name for c in columns]
        text = _render([header, *([row[h] for h in header] for row in rows)], delimiter)
        where = " and ".join(c.describe() for c in conditions)
        if stat == "distinct":
            rounding = "Write the count as an integer."
        elif stat in ("min", "max"):
            rounding = "Write the value as a plain number (as it appears in the file)."
        elif places == 0:
            rounding = (
                "Round the result to the nearest integer and write it without a decimal point."
            )
        else:
            rounding = (
                f"Round the result to {places} decimal place{'s' * (places > 1)} and "
                "write it as a plain number (for example `1234.5` or `-0.25`, no "
                "thousands separators)."
            )
        fmt = (
            "CSV: fields are separated by commas, and a field that contains a comma is "
            "enclosed in double quotes"
            if delimiter == ","
            else "TSV: fields are separated by single tab characters (values may contain spaces)"
        )
        blank_rule = (
            f" Some `{target.name}` cells are empty: skip those rows entirely (an empty "
            "cell is not a 0 and is not a value)."
            if blanks
            else ""
        )
        instruction = f"""\
`{path}` is a table with a header line; it is {fmt}.

Consider only the data rows where {where}.{blank_rule}
Compute {STATS[stat]} of the `{target.name}` column over those rows. {rounding}

Write the result, a single number, to `/app/answer.txt`.
"""
        score = (len(conditions) > 1) + blanks + quoted + (stat in ("median", "distinct"))
        return GeneratedTask(
            instruction=instruction,
            files={f"{theme}.{ext}": text},
            dockerfile=dockerfile(f"""\
                COPY {theme}.{ext} {path}
                """),
            solution=_solution(path, delimiter, target.name, conditions, stat, places),
            checks=[
                {
                    "type": "number",
                    "path": "/app/answer.txt",
                    "expected": _round(exact, places),
                    "tolerance": 1e-6,
                }
            ],
            difficulty="easy" if score == 0 else "medium" if score < 3 else "hard",
            tags=["awk", "csv", "statistics", stat],
        )


def _solution(
    path: str, delimiter: str, target: str, conditions: list[Condition], stat: str, places: int
) -> str:
    """A python3 program reading the table by header name, as an agent would write it."""
    tests = []
    for c in conditions:
        if c.op == "==":
            tests.append(f"row[{c.column!r}] == {c.value!r}")
        else:
            tests.append(f"Decimal(row[{c.column!r}]) {c.op} Decimal({c.value!r})")
    return f"""#!/bin/bash
set -euo pipefail
python3 - <<'PY'
import csv
import statistics
from decimal import ROUND_HALF_UP, Decimal

with open({path!r}, newline="", encoding="utf-8") as handle:
    rows = list(csv.DictReader(handle, delimiter={delimiter!r}))
values = [row[{target!r}] for row in rows
          if row[{target!r}] != "" and {" and ".join(tests)}]
stat = {stat!r}
if stat == "distinct":
    result = Decimal(len(set(values)))
else:
    numbers = [Decimal(v) for v in values]
    result = {{"sum": sum, "mean": statistics.mean, "median": statistics.median,
              "min": min, "max": max}}[stat](numbers)
result = result.quantize(Decimal(1).scaleb(-{places}), rounding=ROUND_HALF_UP)
with open("/app/answer.txt", "w") as handle:
    handle.write(f"{{result}}\\n")
PY
"""
