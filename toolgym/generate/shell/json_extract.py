"""Family ``json-extract``: pull values that meet conditions out of a nested JSON document.

The document nests account records two levels deep; each record mixes objects, arrays, and
fields that are sometimes missing, sometimes ``null`` and sometimes empty, because handling those
three cases alike is where extraction scripts usually go wrong. One of several seed-chosen
queries asks for plain text lines, tab-separated lines or JSON Lines, always with a stated
order, so the output can be compared byte for byte.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from toolgym.generate.base import Family, GeneratedTask, dockerfile
from toolgym.generate.shell.vocabulary import FIRST_NAMES, LAST_NAMES

FIRST = FIRST_NAMES[:20]
LAST = LAST_NAMES[:16]
COUNTRIES = ["DE", "FR", "US", "JP", "BR", "IN", "SE", "KE"]
TAGS = ["vip", "beta", "churn-risk", "partner", "trial", "internal", "legacy"]
SKUS = [f"SKU-{n}" for n in (104, 117, 203, 220, 318, 342, 401, 455, 509, 612, 730, 815)]
SRC = "/app/data/accounts.json"
ABSENT = object()  # a key left out of the record entirely

Record = dict[str, Any]


def _maybe(rng: random.Random, value: Any, missing: float, null: float) -> Any:
    """``value``, or ABSENT (key left out) or None (``null``) with the given chances."""
    roll = rng.random()
    if roll < missing:
        return ABSENT
    if roll < missing + null:
        return None
    return value


def _record(rng: random.Random, ident: int) -> Record:
    """One account record with nested objects, arrays and gaps."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first.lower()}.{last.lower()}@example.com" if rng.random() > 0.06 else ""
    profile = {
        "country": _maybe(rng, rng.choice(COUNTRIES), 0.06, 0.06),
        "age": rng.randint(19, 70),
        "tags": _maybe(rng, rng.sample(TAGS, rng.randint(0, 3)), 0.1, 0.08),
    }
    orders = [
        {"sku": rng.choice(SKUS), "qty": rng.randint(1, 12), "price_cents": rng.randint(199, 9999)}
        for _ in range(rng.randint(0, 5))
    ]
    manager = {"name": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "level": rng.randint(1, 5)}
    record = {
        "id": ident,
        "name": f"{first} {last}",
        "active": _maybe(rng, rng.random() < 0.7, 0.05, 0.03),
        "email": _maybe(rng, email, 0.08, 0.08),
        "profile": _maybe(rng, {k: v for k, v in profile.items() if v is not ABSENT}, 0.05, 0.05),
        "orders": _maybe(rng, orders, 0.1, 0.06),
        "manager": _maybe(rng, manager, 0.12, 0.35),
    }
    return {k: v for k, v in record.items() if v is not ABSENT}


def _ids(rng: random.Random, count: int) -> list[int]:
    """Distinct record ids of two to five digits (so text and numeric order differ)."""
    ids: set[int] = set()
    while len(ids) < count:
        digits = rng.randint(2, 5)
        ids.add(rng.randint(10 ** (digits - 1), 10**digits - 1))
    return rng.sample(sorted(ids), count)


def _get(record: Record, *keys: str) -> Any:
    """``record[k1][k2]...``, or None where a key is missing or a value is null."""
    value: Any = record
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _orders(record: Record) -> list[dict[str, Any]]:
    return _get(record, "orders") or []


def _jsonl(objects: list[dict[str, Any]]) -> str:
    """JSON Lines exactly as ``jq -c`` prints them."""
    return "".join(json.dumps(obj, separators=(",", ":")) + "\n" for obj in objects)


@dataclass
class Query:
    """One question about the document: its wording, its answer, and a jq solution."""

    text: str
    output: str
    answer: str
    size: int  # items in the answer (kept between a few and not all)
    jq: str
    difficulty: str
    # Ids in the order the answer lists them, when it is ordered by id: drawn so that a text
    # sort would order them differently from the numeric sort the instruction asks for.
    id_order: list[int] = field(default_factory=list)


def _tag_query(rng: random.Random, records: list[Record]) -> Query:
    country, tag = rng.choice(COUNTRIES), rng.choice(TAGS)
    ids = sorted(
        r["id"]
        for r in records
        if _get(r, "profile", "country") == country and tag in (_get(r, "profile", "tags") or [])
    )
    return Query(
        text=f'the `id` of every account whose `profile.country` is `"{country}"` and whose '
        f'`profile.tags` array contains `"{tag}"`, one id per line, in ascending numeric order',
        output="/app/ids.txt",
        answer="".join(f"{i}\n" for i in ids),
        size=len(ids),
        id_order=ids,
        jq=f'jq -r \'.data.accounts[] | select(.profile.country == "{country}" and '
        f'any((.profile.tags // [])[]; . == "{tag}")) | .id\' {SRC} | sort -n > /app/ids.txt',
        difficulty="easy",
    )


def _email_query(rng: random.Random, records: list[Record]) -> Query:
    ids = sorted(r["id"] for r in records if _get(r, "active") is True and not _get(r, "email"))
    return Query(
        text="the `id` of every account whose `active` is `true` and that has no usable "
        "e-mail address (its `email` key is missing, `null`, or the empty string), one id per "
        "line, in ascending numeric order",
        output="/app/ids.txt",
        answer="".join(f"{i}\n" for i in ids),
        size=len(ids),
        id_order=ids,
        jq=f'jq -r \'.data.accounts[] | select(.active == true and (.email // "") == "") '
        f"| .id' {SRC} | sort -n > /app/ids.txt",
        difficulty="easy",
    )


def _count_query(rng: random.Random, records: list[Record]) -> Query:
    minimum = rng.randint(1, 3)
    rows = sorted(
        (
            (r["id"], r["name"], len(_orders(r)))
            for r in records
            if _get(r, "active") is True and len(_orders(r)) >= minimum
        ),
        key=lambda row: (-row[2], row[0]),
    )
    return Query(
        text=f"one line per account whose `active` is `true` and that has at least {minimum} "
        "entries in its `orders` array (a missing or `null` `orders` counts as none), formatted "
        "as the id, a tab, the name, a tab and the number of orders; sorted by the number of "
        "orders, highest first, and accounts with equal numbers by id, ascending",
        output="/app/orders.tsv",
        answer="".join(f"{i}\t{name}\t{n}\n" for i, name, n in rows),
        size=len(rows),
        jq=f"jq -r '.data.accounts[] | select(.active == true) | [.id, .name, "
        f"((.orders // []) | length)] | select(.[2] >= {minimum}) | @tsv' {SRC} "
        "| sort -t $'\\t' -k3,3nr -k1,1n > /app/orders.tsv",
        difficulty="medium",
    )


def _sku_query(rng: random.Random, records: list[Record]) -> Query:
    country, qty = rng.choice(COUNTRIES), rng.randint(3, 8)
    skus = sorted(
        {
            o["sku"]
            for r in records
            if _get(r, "profile", "country") == country
            for o in _orders(r)
            if o["qty"] >= qty
        }
    )
    return Query(
        text=f"every distinct `sku` that appears in an entry of `orders` with a `qty` of at "
        f'least {qty}, counting only accounts whose `profile.country` is `"{country}"`; one '
        "SKU per line, sorted in ascending byte order, no repeats",
        output="/app/skus.txt",
        answer="".join(f"{s}\n" for s in skus),
        size=len(skus),
        jq=f'jq -r \'.data.accounts[] | select(.profile.country == "{country}") | '
        f"(.orders // [])[] | select(.qty >= {qty}) | .sku' {SRC} | LC_ALL=C sort -u "
        "> /app/skus.txt",
        difficulty="medium",
    )


def _manager_query(rng: random.Random, records: list[Record]) -> Query:
    level = rng.randint(2, 4)
    objects = [
        {"id": r["id"], "name": r["name"], "manager": _get(r, "manager", "name")}
        for r in sorted(records, key=lambda r: r["id"])
        if (_get(r, "manager", "level") or 0) >= level
    ]
    return Query(
        text=f"for every account that has a `manager` object (not missing, not `null`) whose "
        f"`level` is at least {level}, a JSON object with exactly the keys `id`, `name` (the "
        "account's name) and `manager` (the manager's `name`), in that order; write them as "
        "JSON Lines: one compact object per line, as `jq -c` prints them (no spaces), ordered "
        "by `id`, ascending",
        output="/app/managers.jsonl",
        answer=_jsonl(objects),
        size=len(objects),
        id_order=[o["id"] for o in objects],
        jq=f"jq -c '.data.accounts | sort_by(.id)[] | select(.manager != null and "
        f".manager.level >= {level}) | {{id, name, manager: .manager.name}}' {SRC} "
        "> /app/managers.jsonl",
        difficulty="medium",
    )


def _total_query(rng: random.Random, records: list[Record]) -> Query:
    threshold = rng.choice([5_000, 10_000, 20_000, 30_000])
    totals = [(r["id"], sum(o["qty"] * o["price_cents"] for o in _orders(r))) for r in records]
    chosen = sorted((t for t in totals if t[1] >= threshold), key=lambda t: (-t[1], t[0]))
    return Query(
        text="the accounts with a large order total. An account's order total, in cents, is the "
        "sum of `qty * price_cents` over its `orders` (0 when `orders` is missing, `null` or "
        "empty). Keep the accounts whose "
        f"total is at least {threshold}, and write one JSON object per line with exactly the "
        "keys `id` and `total`, in that order, compact as `jq -c` prints them (e.g. "
        '`{"id":17,"total":12345}`), sorted by total, highest first, and equal totals by id, '
        "ascending",
        output="/app/totals.jsonl",
        answer=_jsonl([{"id": i, "total": t} for i, t in chosen]),
        size=len(chosen),
        jq="jq -c '[.data.accounts[] | {id, total: ([(.orders // [])[] | .qty * .price_cents] "
        f"| add // 0)}}] | map(select(.total >= {threshold})) | sort_by(-.total, .id)[]' {SRC} "
        "> /app/totals.jsonl",
        difficulty="hard",
    )


QUERIES: list[Callable[[random.Random, list[Record]], Query]] = [
    _tag_query,
    _email_query,
    _count_query,
    _sku_query,
    _manager_query,
    _total_query,
]


class JsonExtract(Family):
    name = "json-extract"
    category = "data-wrangling"
    description = "extract values meeting conditions from nested JSON with missing/null fields"

    def build(self, rng: random.Random) -> GeneratedTask:
        make_query = rng.choice(QUERIES)
        while True:  # redraw until the answer is neither tiny nor everything
            ids = _ids(rng, rng.randint(60, 160))
            records = [_record(rng, ident) for ident in ids]
            query = make_query(rng, records)
            text_order = sorted(query.id_order, key=str)
            ordered = not query.id_order or text_order != query.id_order
            if 4 <= query.size <= len(records) - 4 and ordered:
                break
        document = {
            "meta": {
                "exported_at": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "source": "crm",
                "count": len(records),
            },
            "data": {"accounts": records},
        }
        instruction = f"""\
`{SRC}` is a JSON document whose `data.accounts` array holds account records (in no particular
order). Records are not uniform: a key may be missing, be `null`, or hold an empty string or
array; a condition on a missing or `null` value is false. `profile` is an object with
`country`, `age` and `tags`; `orders` is an array of objects with `sku`, `qty` and
`price_cents`; `manager` is an object with `name` and `level`.

Write to `{query.output}`: {query.text}.

Every line ends with a newline (also the last one); write nothing else to the file. `jq` is
installed.
"""
        return GeneratedTask(
            instruction=instruction,
            files={"accounts.json": json.dumps(document, indent=2) + "\n"},
            dockerfile=dockerfile(
                f"""\
                COPY accounts.json {SRC}
                """,
                packages=("jq",),
            ),
            solution=f"#!/bin/bash\nset -euo pipefail\n{query.jq}\n",
            checks=[
                {"type": "text", "path": query.output, "expected": query.answer, "mode": "exact"}
            ],
            difficulty=query.difficulty,
            tags=["jq", "json", make_query.__name__.strip("_").removesuffix("_query")],
        )
