import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, "/tests")
import reference

PROG = "/app/bin/render"

VARS_A = "# main\nname=ada lovelace\nEMPTY=\nspaced=  \tpadded value \t \nexpr=a=b=c\nbraces={{ name }}\nquote='single' \"double\" $HOME `id`\ncafe=caf\u00e9 cr\u00e8me\nback=C:\\temp\\n\nMixed_Case9=MiXeD\n\n# override below\nname=grace hopper\n"
VARS_B = "name=linus\nextra=from b\n"
BAD_VARS = [
    "x=1\nnot a definition\n",
    "1abc=2\n",
    "=value\n",
    "key with space=1\n",
    "  # indented comment is not a comment\n",
]

CASES = [
    # (template, vars contents list)
    ("Hello {{ name }}!\n", [VARS_A]),
    ("Hello {{name}}! {{  name  }} {{\tname\t}}\n", [VARS_A]),
    (
        "{{ name | upper }} {{name|lower}} {{ Mixed_Case9 | lower }} {{ Mixed_Case9|upper }}\n",
        [VARS_A],
    ),
    ("[{{ spaced }}] [{{ spaced | trim }}] [{{ spaced|trim|upper }}]\n", [VARS_A]),
    ("{{ EMPTY | default:none }} {{ missing | default: n/a }} {{ name | default:x }}\n", [VARS_A]),
    ("{{ missing | upper | default:  Some Default  | upper }}!\n", [VARS_A]),
    ("{{ EMPTY | default: }}|{{ missing | default:}}|\n", [VARS_A]),
    ("{{ spaced | default:zz | trim }}.\n", [VARS_A]),
    ("{{ expr }} {{ braces }} {{ quote }}\n", [VARS_A]),
    ("{{ cafe | upper }} / {{ cafe | lower }}\n", [VARS_A]),
    ("path={{ back }}\n", [VARS_A]),
    ("\\{{ name }} and \\\\{{ name }} and \\n and }} and { { name } }\n", [VARS_A]),
    ("no trailing newline {{ name }}", [VARS_A]),
    ("{{ name }}{{ extra }}\n", [VARS_A, VARS_B]),
    ("{{ name }}\n", [VARS_B, VARS_A]),
    ("", [VARS_A]),
    ("line1\n\n\tline3 {{ name|upper|lower|upper }}\n", [VARS_A]),
    # errors: undefined (3)
    ("Hi {{ missing }}\n", [VARS_A]),
    ("ok {{ name }} then {{ missing | upper | trim }}\n", [VARS_A]),
    ("{{ extra }}\n", [VARS_A]),
    # errors: invalid placeholder (2)
    ("{{ name | title }}\n", [VARS_A]),
    ("{{ 9name }}\n", [VARS_A]),
    ("{{ name\n}}\n", [VARS_A]),
    ("{{ }}\n", [VARS_A]),
    ("{{ na me }}\n", [VARS_A]),
    ("{{ name | default:a}b }}\n", [VARS_A]),
    ("text {{ unterminated\n", [VARS_A]),
    ("{{ name || upper }}\n", [VARS_A]),
    ("{{{ name }}}\n", [VARS_A]),
]
for bad in BAD_VARS:
    CASES.append(("{{ x | default:1 }}\n", [bad]))


def random_case(rng):
    names = ["alpha", "beta", "gamma", "delta", "undefined_one"]
    choices = ["", "  x y ", "Value", "v=1", "MiXed Caf\u00e9"]
    defs = "".join(f"{n}={rng.choice(choices)}\n" for n in names[:4])
    parts = []
    for _ in range(60):
        r = rng.random()
        if r < 0.5:
            parts.append(rng.choice(["text ", "\n", "} ", "{ ", "\\n ", "}} ", "\\{{ "]))
        else:
            n = rng.choice(names[:4] if rng.random() < 0.9 else names)
            filters = [
                rng.choice(["upper", "lower", "trim", "default:dflt", "default: two words "])
                for _ in range(rng.randint(0, 3))
            ]
            if n == "undefined_one" and not any(f.startswith("default") for f in filters):
                filters.append("default:d")
            sp = rng.choice(["", " ", "\t"])
            parts.append("{{" + sp + n + "".join(f"{sp}|{sp}{f}" for f in filters) + sp + "}}")
    return "".join(parts), [defs]


rng = random.Random(2718)
CASES += [random_case(rng) for _ in range(8)]

failures = []
if not (os.path.isfile(PROG) and os.access(PROG, os.X_OK)):
    sys.exit(f"{PROG} is missing or not executable")
tmp = tempfile.mkdtemp()
try:
    for k, (template, var_texts) in enumerate(CASES):
        case_dir = os.path.join(tmp, f"case {k}")
        os.makedirs(case_dir)
        tpath = os.path.join(case_dir, "page.tmpl")
        with open(tpath, "w", encoding="utf-8") as fh:
            fh.write(template)
        vpaths = []
        for j, text in enumerate(var_texts):
            vpaths.append(os.path.join(case_dir, f"vars {j}.env"))
            with open(vpaths[-1], "w", encoding="utf-8") as fh:
                fh.write(text)
        try:
            values = reference.load_vars(vpaths)
            want, want_rc = reference.render(template, values).encode(), 0
        except reference.RenderError as exc:
            want, want_rc = b"", exc.status
        try:
            proc = subprocess.run(
                [PROG, tpath, *vpaths],
                capture_output=True,
                timeout=10,
                cwd=case_dir,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            failures.append(f"case {k}: timed out")
            continue
        label = f"case {k} (template {template[:60]!r})"
        if proc.returncode != want_rc:
            failures.append(
                f"{label}: exit {proc.returncode}, expected {want_rc}; stderr {proc.stderr[-200:]!r}"
            )
        elif proc.stdout != want:
            failures.append(f"{label}: stdout {proc.stdout[:200]!r}, expected {want[:200]!r}")
        elif want_rc and not proc.stderr.startswith(b"render: "):
            failures.append(f"{label}: no 'render: ' message on stderr")
        elif want_rc == 3 and b"undefined variable" not in proc.stderr:
            failures.append(f"{label}: stderr should say 'undefined variable'")
    for argv in (
        [],
        [os.path.join(tmp, "case 0", "page.tmpl")],
        ["/nonexistent.tmpl", os.path.join(tmp, "case 0", "vars 0.env")],
        [os.path.join(tmp, "case 0", "page.tmpl"), "/nonexistent.env"],
    ):
        proc = subprocess.run(
            [PROG, *argv], capture_output=True, timeout=10, stdin=subprocess.DEVNULL
        )
        if proc.returncode != 2 or proc.stdout:
            failures.append(
                f"render {argv}: exit {proc.returncode} with stdout {proc.stdout[:60]!r}, expected exit 2 and no output"
            )
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print(f"{len(failures)} failing cases, e.g.:")
    print("\n".join(failures[:10]))
    sys.exit(1)
print(f"ok: {len(CASES)} cases")
