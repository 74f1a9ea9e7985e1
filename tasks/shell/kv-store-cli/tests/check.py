import os
import shutil
import subprocess
import sys
import tempfile

KV = "/app/bin/kv"
tmp = tempfile.mkdtemp()
A = os.path.join(tmp, "store a.db")
B = os.path.join(tmp, "sub dir", "b.db")
os.makedirs(os.path.dirname(B))

# (store, argv, expected stdout, expected exit status); None stdout means "empty".
OK, MISSING, USAGE, NOTINT = 0, 1, 2, 3
steps = [
    (A, ["list"], "", OK),
    (A, ["get", "nothing"], "", MISSING),
    (A, ["set", "name", "Ada Lovelace"], "", OK),
    (A, ["get", "name"], "Ada Lovelace\n", OK),
    (A, ["set", "name", "Grace Hopper"], "", OK),
    (A, ["get", "name"], "Grace Hopper\n", OK),
    (A, ["set", "padded", "  two  spaces  "], "", OK),
    (A, ["set", "dash", "-n"], "", OK),
    (A, ["set", "dashe", "-e"], "", OK),
    (A, ["set", "star", "*"], "", OK),
    (A, ["set", "back", r"a\tb\\n\x41"], "", OK),
    (A, ["set", "eq", "a=b=c"], "", OK),
    (A, ["set", "quote", 'it\'s "quoted" $HOME `id`'], "", OK),
    (A, ["set", "empty", ""], "", OK),
    (A, ["set", "uni", "h\u00e9llo \u2713"], "", OK),
    (A, ["set", "B", "upper"], "", OK),
    (A, ["set", "_x", "under"], "", OK),
    (A, ["set", "a.b-c_1", "dotted"], "", OK),
    (A, ["get", "padded"], "  two  spaces  \n", OK),
    (A, ["get", "dash"], "-n\n", OK),
    (A, ["get", "dashe"], "-e\n", OK),
    (A, ["get", "star"], "*\n", OK),
    (A, ["get", "back"], "a\\tb\\\\n\\x41\n", OK),
    (A, ["get", "eq"], "a=b=c\n", OK),
    (A, ["get", "quote"], 'it\'s "quoted" $HOME `id`\n', OK),
    (A, ["get", "empty"], "\n", OK),
    (A, ["get", "uni"], "h\u00e9llo \u2713\n", OK),
    (A, ["set", "1abc", "x"], "", USAGE),
    (A, ["set", "a b", "x"], "", USAGE),
    (A, ["set", "", "x"], "", USAGE),
    (A, ["set", "k=v", "x"], "", USAGE),
    (A, ["get", "bad key"], "", USAGE),
    (A, ["set", "name"], "", USAGE),
    (A, ["set", "name", "a", "b"], "", USAGE),
    (A, ["get"], "", USAGE),
    (A, ["list", "extra"], "", USAGE),
    (A, ["frobnicate", "x"], "", USAGE),
    (A, [], "", USAGE),
    (A, ["get", "name"], "Grace Hopper\n", OK),
    (A, ["incr", "hits"], "1\n", OK),
    (A, ["incr", "hits", "41"], "42\n", OK),
    (A, ["incr", "hits", "-50"], "-8\n", OK),
    (A, ["incr", "hits", "8"], "0\n", OK),
    (A, ["set", "octal", "010"], "", OK),
    (A, ["incr", "octal"], "11\n", OK),
    (A, ["set", "neg", "-007"], "", OK),
    (A, ["incr", "neg", "09"], "2\n", OK),
    (A, ["incr", "name"], "", NOTINT),
    (A, ["incr", "hits", "1.5"], "", NOTINT),
    (A, ["incr", "hits", "abc"], "", NOTINT),
    (A, ["incr", "hits", "+3"], "", NOTINT),
    (A, ["set", "bad", "12abc"], "", OK),
    (A, ["incr", "bad"], "", NOTINT),
    (A, ["get", "bad"], "12abc\n", OK),
    (A, ["incr", "1bad"], "", USAGE),
    (A, ["incr", "hits", "1", "2"], "", USAGE),
    (A, ["get", "hits"], "0\n", OK),
    (A, ["del", "star"], "", OK),
    (A, ["del", "star"], "", MISSING),
    (A, ["get", "star"], "", MISSING),
    (A, ["del"], "", USAGE),
    (B, ["list"], "", OK),
    (B, ["get", "name"], "", MISSING),
    (B, ["set", "zeta", "last"], "", OK),
    (B, ["set", "alpha", "first"], "", OK),
    (B, ["list"], "alpha=first\nzeta=last\n", OK),
    (
        A,
        ["list"],
        "".join(
            f"{k}={v}\n"
            for k, v in sorted(
                {
                    "name": "Grace Hopper",
                    "padded": "  two  spaces  ",
                    "dash": "-n",
                    "dashe": "-e",
                    "back": r"a\tb\\n\x41",
                    "eq": "a=b=c",
                    "quote": 'it\'s "quoted" $HOME `id`',
                    "empty": "",
                    "uni": "h\u00e9llo \u2713",
                    "B": "upper",
                    "_x": "under",
                    "a.b-c_1": "dotted",
                    "hits": "0",
                    "octal": "11",
                    "neg": "2",
                    "bad": "12abc",
                }.items(),
                key=lambda kv: kv[0].encode(),
            )
        ),
        OK,
    ),
    (None, ["set", "default_store", "yes"], "", OK),
    (None, ["get", "default_store"], "yes\n", OK),
]

failures = []
try:
    if not (os.path.isfile(KV) and os.access(KV, os.X_OK)):
        print(f"{KV} is missing or not executable")
        sys.exit(1)
    default_db = "/app/data/kv.db"
    for store, argv, want_out, want_rc in steps:
        env = {k: v for k, v in os.environ.items() if k != "KV_FILE"}
        if store is not None:
            env["KV_FILE"] = store
        try:
            proc = subprocess.run(
                [KV, *argv],
                env=env,
                capture_output=True,
                timeout=10,
                stdin=subprocess.DEVNULL,
                cwd=tmp,
            )
        except subprocess.TimeoutExpired:
            failures.append(f"kv {argv} timed out")
            break
        got_out = proc.stdout.decode("utf-8", "replace")
        if proc.returncode != want_rc or got_out != want_out:
            failures.append(
                f"kv {argv} (store {'default' if store is None else os.path.basename(store)}): "
                f"exit {proc.returncode}, stdout {got_out!r}; expected exit {want_rc}, "
                f"stdout {want_out!r}"
            )
        elif want_rc != 0 and not proc.stderr.strip():
            failures.append(f"kv {argv}: exit {want_rc} without a message on stderr")
    if not failures and not os.path.exists(default_db):
        failures.append("the default store /app/data/kv.db was not created")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

if failures:
    print("\n".join(failures[:10]))
    sys.exit(1)
print("ok")
