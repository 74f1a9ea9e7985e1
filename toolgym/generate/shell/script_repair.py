"""Family ``script-repair``: find and fix the one bug in a small bash or python script.

Each template is a short, working script plus a list of realistic one-line bugs (off-by-one,
wrong field index, lexicographic instead of numeric sort, a missing quote that breaks on spaces,
``>`` for ``>=``, a sort that reverses ties). The task ships the script with one bug injected,
describes what the script must do and shows the right output for a sample input. The verifier
runs the agent's script on hidden inputs under ``/tests`` and compares stdout exactly; every
hidden input is drawn so that the buggy script gets it wrong, which a Python model of each
template's behaviour (with and without its bugs) confirms at generation time.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from toolgym.generate.base import Family, GeneratedTask, dockerfile
from toolgym.generate.shell.vocabulary import FIRST_NAMES, LAST_NAMES

FIRST = FIRST_NAMES[:20]
LAST = LAST_NAMES[:16]
WORDS = ["report", "notes", "backup", "photo", "draft", "invoice", "export", "scan", "data"]


@dataclass(frozen=True)
class Bug:
    """A one-line defect: ``correct`` (once in the template) becomes ``buggy``."""

    kind: str
    correct: str
    buggy: str
    difficulty: str


@dataclass
class Case:
    """One input for the script: files (relative to a base folder) and its arguments.

    ``args`` may contain ``{base}``, replaced by the folder the files are written to.
    """

    files: dict[str, str]
    args: list[str]
    notes: dict[str, object] = field(default_factory=dict)

    def argv(self, base: str) -> list[str]:
        return [arg.format(base=base) for arg in self.args]


class Template(ABC):
    """A script, the bugs that can be injected into it, and a model of its behaviour."""

    script: str  # its file name under /app
    interpreter: str  # "bash" or "python3"
    source: str
    bugs: tuple[Bug, ...]
    purpose: str  # what the script must do (the instruction's specification)
    # Plausible half-fixes the hidden inputs must also catch (modelled by ``output``):
    # "ties reversed" is what ``sort -rn`` or ``reverse=True`` does to equal keys.
    near_misses: tuple[str, ...] = ("ties reversed",)

    @abstractmethod
    def case(self, rng: random.Random, bug: Bug) -> Case:
        """An input that the script with ``bug`` gets wrong."""

    @abstractmethod
    def output(self, case: Case, bug: str | None) -> str:
        """The script's stdout for ``case``: correct, or with the bug of kind ``bug``."""

    def exposes(self, case: Case, kind: str) -> bool:
        """Whether the script with the bug (or near miss) ``kind`` gets ``case`` wrong."""
        return self.output(case, kind) != self.output(case, None)


def _lexical_desc(pairs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``sort -k1,1r -k2``: the number compared as text, descending; then the text ascending."""
    by_text = sorted(pairs, key=lambda p: p[1].encode())
    return sorted(by_text, key=lambda p: str(p[0]), reverse=True)


def _numeric_desc(pairs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``sort -k1,1nr -k2``: the number descending, then the text ascending (C locale)."""
    return sorted(pairs, key=lambda p: (-p[0], p[1].encode()))


def _rank(pairs: list[tuple[int, str]], bug: str | None) -> list[tuple[int, str]]:
    """The order the script prints ``(number, text)`` pairs in, with or without a sort bug."""
    if bug == "wrong sort":
        return _lexical_desc(pairs)
    if bug == "ties reversed":
        return sorted(pairs, key=lambda p: (p[0], p[1].encode()), reverse=True)
    return _numeric_desc(pairs)


class DeptTotals(Template):
    script = "dept_totals.sh"
    interpreter = "bash"
    source = """\
#!/bin/bash
# Print the total amount per department, largest total first.
# Usage: dept_totals.sh SALES_CSV
set -euo pipefail
export LC_ALL=C
file="$1"
tail -n +2 "$file" \\
    | awk -F, '{ total[$2] += $4 } END { for (d in total) print d, total[d] }' \\
    | sort -k2,2nr -k1,1
"""
    bugs = (
        Bug("off-by-one", "tail -n +2", "tail -n +3", "easy"),
        Bug("wrong field", "total[$2] += $4", "total[$2] += $3", "easy"),
        Bug("wrong sort", "sort -k2,2nr -k1,1", "sort -k2,2r -k1,1", "medium"),
    )
    purpose = """\
`{script}` reads a sales CSV file whose first line is the header `date,dept,qty,amount`
(`amount` is a whole number of euros) and prints one line per department: the department name,
a space, and the sum of `amount` over all of its rows. Lines are sorted by that total, largest
first; departments with equal totals are sorted by name (byte order)."""

    def case(self, rng: random.Random, bug: Bug) -> Case:
        depts = rng.sample(
            ["sales", "support", "legal", "ops", "hr", "it", "finance", "rnd", "qa", "design"],
            rng.randint(4, 7),
        )
        lines = ["date,dept,qty,amount"]
        for dept in depts:
            big = rng.random() < 0.5  # some departments total thousands, some only hundreds
            for _ in range(rng.randint(1, 8) if big else rng.randint(1, 2)):
                amount = rng.randint(150, 2500) if big else rng.randint(5, 300)
                lines.append(
                    f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},{dept},"
                    f"{rng.randint(1, 20)},{amount}"
                )
        if rng.random() < 0.5:  # two departments with equal totals (the tie-break matters)
            twin, dept = depts[0], rng.choice(["audit", "events", "press"])
            lines += [
                line.replace(f",{twin},", f",{dept},") for line in lines[1:] if f",{twin}," in line
            ]
        body = lines[1:]
        rng.shuffle(body)
        return Case({"sales.csv": "\n".join([lines[0], *body]) + "\n"}, ["{base}/sales.csv"])

    def output(self, case: Case, bug: str | None) -> str:
        rows = [line.split(",") for line in case.files["sales.csv"].splitlines()[1:]]
        if bug == "off-by-one":
            rows = rows[1:]
        totals: dict[str, int] = {}
        for row in rows:
            totals[row[1]] = totals.get(row[1], 0) + int(row[2 if bug == "wrong field" else 3])
        pairs = [(total, dept) for dept, total in totals.items()]
        ranked = _rank(pairs, bug)
        return "".join(f"{dept} {total}\n" for total, dept in ranked)


class SlowRequests(Template):
    script = "slow_requests.sh"
    interpreter = "bash"
    source = """\
#!/bin/bash
# List the requests in an access log that took at least LIMIT milliseconds, slowest first.
# Usage: slow_requests.sh LOGFILE LIMIT
set -euo pipefail
export LC_ALL=C
log="$1"
limit="$2"
echo "== $(basename "$log") =="
awk -v limit="$limit" '$5 >= limit { print $5, $3 }' "$log" | sort -k1,1nr -k2,2
"""
    bugs = (
        Bug("missing quotes", '"$log" | sort', "$log | sort", "medium"),
        Bug("wrong comparison", "$5 >= limit", "$5 > limit", "medium"),
        Bug("wrong sort", "sort -k1,1nr -k2,2", "sort -k1,1r -k2,2", "medium"),
        Bug("wrong field", "print $5, $3", "print $4, $3", "easy"),
    )
    purpose = """\
`{script}` takes an access log and a limit in milliseconds. Each log line has five
space-separated fields: time, method, path, status code, duration in milliseconds (e.g.
`10:02:17 GET /api/users 200 734`). The script first prints `== NAME ==`, where NAME is the
log's file name without its folder, then one line per request whose duration is at least the
limit: the duration, a space, and the path. Those lines are sorted by duration, slowest first;
equal durations are sorted by path (byte order). The log's path may contain spaces."""

    def case(self, rng: random.Random, bug: Bug) -> Case:
        paths = [
            "/api/users",
            "/api/orders",
            "/login",
            "/search",
            "/api/cart",
            "/health",
            "/static/app.js",
            "/api/items/export",
            "/admin",
            "/api/pay",
        ]
        limit = rng.choice([250, 300, 400, 500, 750])
        lines = []
        for i in range(rng.randint(25, 60)):
            roll = rng.random()
            duration = (
                limit
                if roll < 0.1
                else rng.randint(limit, limit * 5)
                if roll < 0.4
                else rng.randint(3, limit - 1)
            )
            lines.append(
                f"10:{i // 60:02d}:{i % 60:02d} {rng.choice(['GET', 'POST'])} "
                f"{rng.choice(paths)} {rng.choice([200, 200, 201, 404, 500])} {duration}"
            )
        name = f"{rng.choice(['web', 'api', 'edge'])} access {rng.randint(1, 9)}.log"
        return Case(
            {name: "\n".join(lines) + "\n"},
            [f"{{base}}/{name}", str(limit)],
            {"name": name, "limit": limit},
        )

    def output(self, case: Case, bug: str | None) -> str:
        name, limit = str(case.notes["name"]), int(str(case.notes["limit"]))
        if bug == "missing quotes" and " " in name:
            return f"== {name} ==\n"  # awk cannot open the split path; nothing else is printed
        pairs = []
        for line in case.files[name].splitlines():
            _time, _method, path, status, duration = line.split()
            if int(duration) > limit or (int(duration) == limit and bug != "wrong comparison"):
                pairs.append((int(status if bug == "wrong field" else duration), path))
        ranked = _rank(pairs, bug)
        return f"== {name} ==\n" + "".join(f"{n} {path}\n" for n, path in ranked)


class Grades(Template):
    script = "grades.py"
    interpreter = "python3"
    source = '''\
#!/usr/bin/env python3
"""List the students who passed (a score of at least 50), best first."""
import csv
import sys

PASS_MARK = 50


def main(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    passed = []
    for row in rows:
        name, score = row[0], int(row[2])
        if score >= PASS_MARK:
            passed.append((name, score))
    passed.sort(key=lambda item: (-item[1], item[0]))
    for name, score in passed:
        print(f"{name}: {score}")
    print(f"passed: {len(passed)} of {len(rows)}")


if __name__ == "__main__":
    main(sys.argv[1])
'''
    bugs = (
        Bug("off-by-one", "csv.reader(handle))[1:]", "csv.reader(handle))[2:]", "easy"),
        Bug("wrong field", "int(row[2])", "int(row[1])", "easy"),
        Bug("wrong comparison", "score >= PASS_MARK", "score > PASS_MARK", "medium"),
        Bug(
            "wrong sort",
            "key=lambda item: (-item[1], item[0]))",
            "key=lambda item: (item[1], item[0]), reverse=True)",
            "hard",
        ),
    )
    purpose = """\
`{script}` reads a CSV file whose first line is the header `student,year,score` (the
student's full name, the school year 1-4, and a whole-number score 0-100) and prints the
students who passed, that is whose score is at least 50, as `NAME: SCORE`, one per line, sorted
by score, highest first; students with equal scores are sorted by name (ascending, Python's
string order). The last line is `passed: P of N`, where P is the number of students who passed
and N the number of students in the file."""

    def case(self, rng: random.Random, bug: Bug) -> Case:
        names = rng.sample([f"{f} {last}" for f in FIRST for last in LAST], rng.randint(12, 30))
        rows = [
            (name, rng.randint(1, 4), 50 if rng.random() < 0.1 else rng.randint(20, 100))
            for name in names
        ]
        if rng.random() < 0.7:  # a tie between two passing students
            a, b = rng.sample(range(len(rows)), 2)
            rows[b] = (rows[b][0], rows[b][1], rows[a][2] if rows[a][2] >= 50 else 77)
            rows[a] = (rows[a][0], rows[a][1], rows[b][2])
        text = "student,year,score\n" + "".join(f"{n},{y},{s}\n" for n, y, s in rows)
        return Case({"scores.csv": text}, ["{base}/scores.csv"])

    def output(self, case: Case, bug: str | None) -> str:
        rows = [line.split(",") for line in case.files["scores.csv"].splitlines()]
        rows = rows[2:] if bug == "off-by-one" else rows[1:]
        column = 1 if bug == "wrong field" else 2
        passed = [
            (row[0], int(row[column]))
            for row in rows
            if int(row[column]) > 50 or (int(row[column]) == 50 and bug != "wrong comparison")
        ]
        if bug in ("wrong sort", "ties reversed"):
            passed.sort(key=lambda item: (item[1], item[0]), reverse=True)
        else:
            passed.sort(key=lambda item: (-item[1], item[0]))
        lines = [f"{name}: {score}\n" for name, score in passed]
        return "".join(lines) + f"passed: {len(passed)} of {len(rows)}\n"


class BigFiles(Template):
    script = "big_files.sh"
    interpreter = "bash"
    source = """\
#!/bin/bash
# List the regular files directly inside DIR that hold at least MIN bytes, largest first.
# Usage: big_files.sh DIR MIN
set -euo pipefail
export LC_ALL=C
dir="$1"
min="$2"
for f in "$dir"/*; do
    [ -f "$f" ] || continue
    size=$(wc -c < "$f")
    if [ "$size" -ge "$min" ]; then
        echo "$size $(basename "$f")"
    fi
done | sort -k1,1nr -k2
"""
    bugs = (
        Bug("missing quotes", '[ -f "$f" ] || continue', "[ -f $f ] || continue", "hard"),
        Bug("wrong comparison", '"$size" -ge "$min"', '"$size" -gt "$min"', "medium"),
        Bug("wrong sort", "sort -k1,1nr -k2", "sort -k1,1r -k2", "medium"),
    )
    purpose = """\
`{script}` takes a folder DIR and a number MIN and prints one line for every regular file
directly inside DIR (not in its subfolders) whose size is at least MIN bytes: the size in
bytes, a space, and the file name. Lines are sorted by size, largest first; equal sizes are
sorted by file name (byte order). File and folder names may contain spaces."""

    def case(self, rng: random.Random, bug: Bug) -> Case:
        limit = rng.choice([100, 500, 1000, 2000])
        files: dict[str, str] = {}
        for _ in range(rng.randint(8, 16)):
            stem = rng.choice(WORDS) + rng.choice([" ", "_", "-", " "]) + str(rng.randint(1, 99))
            roll = rng.random()
            size = (
                limit
                if roll < 0.15
                else rng.randint(limit, limit * 15)
                if roll < 0.6
                else rng.randint(1, limit - 1)
            )
            files[f"{stem}.{rng.choice(['txt', 'log', 'csv'])}"] = "x" * (size - 1) + "\n"
        files[f"old {rng.choice(WORDS)}/big.bin"] = "y" * (limit * 3) + "\n"  # a subfolder
        sep = rng.choice([" ", "_", "-"])
        folder = f"{rng.choice(['uploads', 'inbox', 'shared'])}{sep}{rng.randint(1, 9)}"
        return Case(
            {f"{folder}/{name}": text for name, text in files.items()},
            [f"{{base}}/{folder}", str(limit)],
            {"folder": folder, "limit": limit},
        )

    def output(self, case: Case, bug: str | None) -> str:
        folder, limit = str(case.notes["folder"]), int(str(case.notes["limit"]))
        pairs = []
        for path, text in case.files.items():
            name = path.removeprefix(folder + "/")
            if "/" in name or (bug == "missing quotes" and " " in path):
                continue  # a subfolder's file, or a path that `[ -f $f ]` splits apart
            size = len(text.encode())
            if size > limit or (size == limit and bug != "wrong comparison"):
                pairs.append((size, name))
        ranked = _rank(pairs, bug)
        return "".join(f"{size} {name}\n" for size, name in ranked)


TEMPLATES: tuple[Template, ...] = (DeptTotals(), SlowRequests(), Grades(), BigFiles())


def _exposing_case(
    rng: random.Random, template: Template, bug: Bug, also: str | None = None
) -> Case:
    """A case the buggy script (and the near miss ``also``) gets wrong; inputs are redrawn
    until one is."""
    for _ in range(500):
        case = template.case(rng, bug)
        if template.exposes(case, bug.kind) and (also is None or template.exposes(case, also)):
            return case
    raise RuntimeError(f"no input exposes {bug.kind} and {also} in {template.script}")


def _solution(template: Template, bug: Bug) -> str:
    """Fix the one defective line in place, as an agent would after spotting it."""
    return f"""#!/bin/bash
set -euo pipefail
python3 - <<'PY'
from pathlib import Path

script = Path("/app/{template.script}")
text = script.read_text()
assert text.count({bug.buggy!r}) == 1
script.write_text(text.replace({bug.buggy!r}, {bug.correct!r}))
PY
"""


class ScriptRepair(Family):
    name = "script-repair"
    category = "debugging"
    description = "fix the one injected bug in a small bash or python script"

    def build(self, rng: random.Random) -> GeneratedTask:
        template = rng.choice(TEMPLATES)
        bug = rng.choice(template.bugs)
        assert template.source.count(bug.correct) == 1
        buggy = template.source.replace(bug.correct, bug.buggy)
        sample = _exposing_case(rng, template, bug)
        hidden = [_exposing_case(rng, template, bug) for _ in range(3)]
        for miss in template.near_misses:
            if not any(template.exposes(case, miss) for case in hidden):
                hidden[-1] = _exposing_case(rng, template, bug, also=miss)
        files = {f"sample/{path}": text for path, text in sample.files.items()}
        files[template.script] = buggy
        command = " ".join(
            _quote(arg) for arg in (f"/app/{template.script}", *sample.argv("/app/sample"))
        )
        expected = template.output(sample, None)
        instruction = f"""\
{template.purpose.format(script=f"/app/{template.script}")}

The script has a bug. For the sample input in `/app/sample/`,

```
{template.interpreter} {command}
```

must print exactly:

```
{expected.rstrip()}
```

but it prints something else. Find the bug and fix it in place. The script will be run, in
the same way, on other inputs of the same form, and must print exactly what the description
above says; keep its file name, its arguments and its output format. Do not change anything
under `/app/sample/`.
"""
        test_files: dict[str, str] = {}
        checks = []
        for number, case in enumerate(hidden, 1):
            base = f"/tests/inputs/case{number}"
            for path, text in case.files.items():
                test_files[f"inputs/case{number}/{path}"] = text
            checks.append(
                {
                    "type": "run",
                    "argv": [template.interpreter, f"/app/{template.script}", *case.argv(base)],
                    "stdout": template.output(case, None),
                    "exit_code": 0,
                    "timeout": 20,
                }
            )
        return GeneratedTask(
            instruction=instruction,
            files=files,
            dockerfile=dockerfile(f"""\
                COPY sample/ /app/sample/
                COPY {template.script} /app/{template.script}
                RUN chmod 755 /app/{template.script}
                """),
            solution=_solution(template, bug),
            checks=checks,
            difficulty=bug.difficulty,
            tags=[template.interpreter, "debugging", bug.kind.replace(" ", "-")],
            test_files=test_files,
        )


def _quote(arg: str) -> str:
    """Quote a shell argument for display only when it needs it."""
    return f"'{arg}'" if " " in arg else arg
