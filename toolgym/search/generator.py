"""Synthetic multi-hop questions over a generated knowledge base of fictional entities.

Each seed draws a small world (people, cities, organisations, an invention) whose facts link
to each other, writes one encyclopedia-style document per entity, and asks one question that
needs two or three of those documents in a chain ("In which year was the city where the
inventor of the X was born founded?"). No model can know the answer without searching: the
entities do not exist, and each one's name encodes its (split, seed, slot) through a fixed
bijection, so names never repeat across seeds or splits and every fact has one owner.

As for the shell generators (:mod:`toolgym.generate.base`), the same split and seed always
give the same bytes, and ``train`` and ``test`` draw from disjoint seed ranges.
``toolgym generate search`` writes ``corpus.jsonl`` (every world's documents, the other
worlds acting as distractors), ``index/`` (its BM25 index) and ``search-<split>.jsonl`` (the
task rows, which name ``index`` relative to themselves).
"""

from __future__ import annotations

import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolgym.generate.base import split_seed
from toolgym.search.corpus import Document, write_jsonl_corpus
from toolgym.search.index import build_index

SYLLABLES = (
    "ba", "be", "bo", "da", "de", "di", "fa", "fe", "ga", "go", "ka", "ke", "ki", "ko", "la",
    "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "na", "ne", "ni", "no", "pa", "pe", "ra",
    "re", "ri", "ro", "sa", "se", "su", "ta", "te", "vo", "za",
)  # fmt: skip
NAME_DIGITS = 7  # 40**7 > (2 * 10**9 seeds) * 16 slots: every (seed, slot) has its own name
_SCRAMBLE = 2_654_435_761  # odd and not a multiple of 5, so invertible modulo 40**7
SLOTS = 16
ROLES = ("engineer", "archivist", "cartographer", "chemist", "surveyor", "translator", "botanist")
PRODUCTS = ("barometers", "river barges", "glass lenses", "clockwork looms", "paper maps", "bells")
ORG_KINDS = ("Works", "Guild", "Institute", "Company", "Foundry", "Society")
DEVICES = ("engine", "lamp", "press", "loom", "compass", "telescope")


def entity_name(code: int) -> tuple[str, str]:
    """Two capitalised words from a code, one-to-one (a scrambled base-40 numeral)."""
    base = len(SYLLABLES)
    space = base**NAME_DIGITS
    if not 0 <= code < space:
        raise ValueError(f"name code {code} out of range")
    value = code
    for _ in range(3):  # each step is a bijection: multiply-add, then reverse the digits
        value = (value * _SCRAMBLE + 12_345) % space
        value = _from_digits(_to_digits(value)[::-1])
    digits = [SYLLABLES[d] for d in _to_digits(value)]
    return "".join(digits[:3]).capitalize(), "".join(digits[3:]).capitalize()


def _to_digits(value: int) -> list[int]:
    digits = []
    for _ in range(NAME_DIGITS):
        value, digit = divmod(value, len(SYLLABLES))
        digits.append(digit)
    return digits


def _from_digits(digits: list[int]) -> int:
    value = 0
    for digit in reversed(digits):
        value = value * len(SYLLABLES) + digit
    return value


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class World:
    """One seed's entities and facts."""

    people: list[str]
    cities: list[str]
    orgs: list[str]
    device: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class Question:
    """One generated question with its gold answer and the documents it chains through."""

    id: str
    question: str
    answers: list[str]
    support: list[str]
    hops: int
    template: str
    split: str
    seed: int


def _distinct_years(rng: random.Random, count: int, low: int, high: int) -> list[int]:
    return rng.sample(range(low, high), count)


def draw_world(split: str, seed: int) -> tuple[World, random.Random]:
    """The world of one seed, and the generator it was drawn with (for the question)."""
    base = split_seed(split, seed)
    rng = random.Random(base)
    names = [entity_name(base * SLOTS + slot) for slot in range(10)]
    people = [f"{first} {last}" for first, last in names[0:3]]
    cities = [f"{first}{last.lower()}" for first, last in names[3:6]]
    orgs = [f"{first} {last} {rng.choice(ORG_KINDS)}" for first, last in names[6:8]]
    device = f"{names[8][0]}{names[8][1].lower()} {rng.choice(DEVICES)}"
    founded = _distinct_years(rng, 3, 1150, 1700)
    births = _distinct_years(rng, 3, 1760, 1890)
    org_years = _distinct_years(rng, 2, 1800, 1930)
    facts = {
        "city_founded": dict(zip(cities, founded, strict=True)),
        "city_population": {c: rng.randrange(120, 990) * 100 for c in cities},
        "born_in": {people[0]: cities[0], people[1]: cities[2], people[2]: cities[1]},
        "born_year": dict(zip(people, births, strict=True)),
        "studied_in": {people[0]: cities[1], people[1]: cities[0], people[2]: cities[2]},
        "works_for": {people[0]: orgs[0], people[2]: orgs[1]},
        "role": {p: rng.choice(ROLES) for p in people},
        "org_founder": {orgs[0]: people[1], orgs[1]: people[2]},
        "org_year": dict(zip(orgs, org_years, strict=True)),
        "org_hq": {orgs[0]: cities[1], orgs[1]: cities[0]},
        "org_product": {o: rng.choice(PRODUCTS) for o in orgs},
        "device_inventor": people[0],
        "device_year": births[0] + rng.randrange(25, 45),
        "device_built_in": cities[2],
    }
    return World(people, cities, orgs, device, facts), rng


def world_documents(world: World) -> list[Document]:
    """One encyclopedia-style document per entity of the world."""
    f = world.facts
    docs = []
    for person in world.people:
        text = (
            f"{person} (born {f['born_year'][person]}) is a {f['role'][person]} born in "
            f"{f['born_in'][person]}. {person.split()[0]} studied in {f['studied_in'][person]}"
        )
        if person in f["works_for"]:
            text += f" and later joined the {f['works_for'][person]}."
        else:
            text += "."
        for org, founder in f["org_founder"].items():
            if founder == person:
                text += f" In {f['org_year'][org]}, {person} founded the {org}."
        if f["device_inventor"] == person:
            text += f" {person} is best known as the inventor of the {world.device}."
        docs.append(Document(f"person/{slug(person)}", person, text))
    for city in world.cities:
        text = (
            f"{city} is a town founded in {f['city_founded'][city]}. "
            f"It has a population of {f['city_population'][city]:,}."
        )
        headquartered = [o for o, hq in f["org_hq"].items() if hq == city]
        if headquartered:
            text += f" The {headquartered[0]} has its headquarters in {city}."
        if f["device_built_in"] == city:
            text += f" The first {world.device} was built in a workshop in {city}."
        docs.append(Document(f"city/{slug(city)}", city, text))
    for org in world.orgs:
        text = (
            f"The {org} is an organisation that makes {f['org_product'][org]}. It was "
            f"founded in {f['org_year'][org]} by {f['org_founder'][org]} and has its "
            f"headquarters in {f['org_hq'][org]}."
        )
        docs.append(Document(f"org/{slug(org)}", org, text))
    text = (
        f"The {world.device} is a device invented by {f['device_inventor']} in "
        f"{f['device_year']}. The first one was built in {f['device_built_in']}."
    )
    docs.append(Document(f"device/{slug(world.device)}", f"The {world.device}", text))
    return docs


def _question(world: World, rng: random.Random, split: str, seed: int) -> Question:
    f = world.facts
    p0, org0, device = world.people[0], world.orgs[0], world.device
    founder = f["org_founder"][org0]
    hq = f["org_hq"][org0]
    city0 = f["born_in"][p0]
    ids = {
        "p0": f"person/{slug(p0)}",
        "founder": f"person/{slug(founder)}",
        "org0": f"org/{slug(org0)}",
        "city0": f"city/{slug(city0)}",
        "hq": f"city/{slug(hq)}",
        "device": f"device/{slug(device)}",
    }
    templates: list[tuple[str, str, str, list[str]]] = [
        (
            "birth-city-founded",
            f"In which year was the town where {p0} was born founded?",
            str(f["city_founded"][city0]),
            ["p0", "city0"],
        ),
        (
            "employer-founder",
            f"Who founded the organisation that {p0} joined?",
            founder,
            ["p0", "org0"],
        ),
        (
            "hq-population",
            f"What is the population of the town where the {org0} has its headquarters?",
            f"{f['city_population'][hq]:,}",
            ["org0", "hq"],
        ),
        (
            "founder-birth-city",
            f"In which town was the founder of the {org0} born?",
            f["born_in"][founder],
            ["org0", "founder"],
        ),
        (
            "inventor-employer",
            f"Which organisation did the inventor of the {device} join?",
            org0,
            ["device", "p0"],
        ),
        (
            "inventor-birth-city-founded",
            f"In which year was the birthplace of the inventor of the {device} founded?",
            str(f["city_founded"][city0]),
            ["device", "p0", "city0"],
        ),
        (
            "inventor-employer-founded",
            f"In which year was the organisation founded that the inventor of the {device} joined?",
            str(f["org_year"][org0]),
            ["device", "p0", "org0"],
        ),
    ]
    name, text, answer, support = rng.choice(templates)
    aliases = [answer]
    if answer.startswith("The "):
        aliases.append(answer[4:])
    return Question(
        id=f"kb-{split}-{seed:06d}",
        question=text,
        answers=aliases,
        support=[ids[key] for key in support],
        hops=len(support),
        template=name,
        split=split,
        seed=seed,
    )


def generate_question(split: str, seed: int) -> tuple[Question, list[Document]]:
    """One seed's question and the documents of its world."""
    world, rng = draw_world(split, seed)
    return _question(world, rng, split, seed), world_documents(world)


def question_row(question: Question, index: str = "index") -> dict[str, Any]:
    return {
        "id": question.id,
        "question": question.question,
        "answers": question.answers,
        "index": index,
        "support": question.support,
        "metadata": {
            "category": f"synthetic-{question.hops}hop",
            "difficulty": "medium" if question.hops == 2 else "hard",
            "tags": ["generated", "search", question.template],
            "split": question.split,
            "seed": question.seed,
        },
    }


def write_search_tasks(out: Path, *, split: str, seed: int, count: int) -> dict[str, Any]:
    """Write ``corpus.jsonl``, ``index/`` and ``search-<split>.jsonl`` for seeds
    ``seed .. seed+count-1`` of ``split`` into ``out`` (replacing what was there)."""
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    for number in (seed, seed + count - 1):
        split_seed(split, number)  # raises for a bad split or seed
    questions: list[Question] = []
    documents: list[Document] = []
    for number in range(seed, seed + count):
        question, docs = generate_question(split, number)
        questions.append(question)
        documents += docs
    documents.sort(key=lambda d: d.id)
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl_corpus(documents, out / "corpus.jsonl")
    if (out / "index").exists():
        shutil.rmtree(out / "index")
    build_index(documents, out / "index", source="corpus.jsonl")
    tasks_file = out / f"search-{split}.jsonl"
    with open(tasks_file, "w", encoding="utf-8") as handle:
        for question in questions:
            handle.write(json.dumps(question_row(question), ensure_ascii=False) + "\n")
    return {"tasks": len(questions), "documents": len(documents), "file": tasks_file}
