"""Write a small Markdown documentation tree full of US dates, miles and Fahrenheit temperatures."""

import os
import random
import sys

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


def token(rng):
    """One interesting phrase (valid or deliberately invalid)."""
    m, d, y = rng.randint(1, 12), rng.randint(1, 31), rng.choice([1999, 2000, 2023, 2024, 2100])
    n = rng.choice(
        [
            str(rng.randint(0, 500)),
            f"{rng.randint(0, 99)}.{rng.randint(0, 9)}",
            f"{rng.randint(0, 9)}.{rng.randint(10, 99)}",
        ]
    )
    t = rng.choice([str(rng.randint(-40, 120)), f"{rng.randint(-20, 110)}.{rng.randint(0, 9)}"])
    kinds = [
        f"{m}/{d}/{y}",
        f"{m:02d}/{d:02d}/{y}",
        f"{rng.randint(13, 19)}/{d}/{y}",
        f"2/{rng.choice([29, 30])}/{rng.choice([1900, 2000, 2023, 2024])}",
        f"{m}/{d}/{y}{rng.randint(0, 9)}",
        f"https://example.com/archive/{m}/{d}/{y}/post",
        f"{MONTHS[m - 1]} {d}, {y}",
        f"{MONTHS[m - 1]} {d} {y}",
        f"{MONTHS[m - 1][:3]} {d}, {y}",
        f"{n} mi",
        f"{n} miles",
        "1 mile",
        f"{n}mi",
        f"{n} minutes",
        f"v{n} mi",
        f"{rng.randint(1, 9)}-{n} miles",
        f"{t}°F",
        f"{t} °F",
        f"{t}°Fahrenheit",
        f"{t}°C",
        f"`{m}/{d}/{y}`",
        f"`{n} mi` and {n} mi",
        f"({m}/{d}/{y})",
        f"{MONTHS[m - 1]} {d}, {y}.",
    ]
    return rng.choice(kinds)


def paragraph(rng):
    words = [
        "The",
        "trail",
        "opened",
        "on",
        "and",
        "is",
        "long;",
        "expect",
        "at",
        "noon.",
        "Updated",
        "we",
        "hiked",
        "ran",
        "about",
    ]
    out = []
    for _ in range(rng.randint(8, 20)):
        out.append(token(rng) if rng.random() < 0.4 else rng.choice(words))
    return " ".join(out)


def write(base, seed=77):
    rng = random.Random(seed)
    docs = os.path.join(base, "docs")
    os.makedirs(os.path.join(docs, "trips", "2024"), exist_ok=True)
    files = [
        "index.md",
        "trips/overview.md",
        "trips/2024/summer.md",
        "trips/2024/winter notes.md",
        "faq.md",
    ]
    for rel in files:
        lines = [f"# {rel}", ""]
        for _ in range(rng.randint(4, 9)):
            r = rng.random()
            if r < 0.2:
                lines += ["```", paragraph(rng), paragraph(rng), "```"]
            elif r < 0.3:
                lines += ["```text", "Logged 3/14/2024 at 72°F over 5 mi", "```"]
            else:
                lines.append(paragraph(rng))
            lines.append("")
        with open(os.path.join(docs, rel), "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
    with open(os.path.join(docs, "changelog.md"), "w", encoding="utf-8") as fh:
        fh.write(
            "# Changelog\n\n"
            "- 3/5/2024: route extended from 12 miles to 15.5 miles (see `docs/12/31/2023`).\n"
            "- Released February 29, 2024; the 2/29/2023 build never existed.\n"
            "- Use `--limit 10 mi` to filter; frost below 32°F, heat above 95 °F.\n"
            "- Record low -4°F on 1/1/2024, high 104.5°F on July 4, 2024.\n"
            "- Unpaired backtick ` here: 7/4/2024 and 3 mi.\n"
            "```\n"
            "fenced 7/4/2024 100°F 5 mi\n"
            "```\n"
            "After the fence: 12/25/2023 and 0 mi and 31.9°F.\n"
        )
    with open(os.path.join(docs, "data.txt"), "w", encoding="utf-8") as fh:
        fh.write("not markdown: 3/5/2024 12 miles 70°F\n")


if __name__ == "__main__":
    write(sys.argv[1] if len(sys.argv) > 1 else "/app")
