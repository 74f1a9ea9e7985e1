#!/usr/bin/python3
"""kv: a tiny key-value store (see the task's specification)."""

import json
import os
import re
import sys
import tempfile

KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
INT = re.compile(r"-?[0-9]+")
ARITY = {"set": (2, 2), "get": (1, 1), "del": (1, 1), "list": (0, 0), "incr": (1, 2)}


def die(code, message):
    sys.stderr.write(f"kv: {message}\n")
    sys.exit(code)


def load(path):
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as fh:
            return json.load(fh)
    except FileNotFoundError:
        return {}


def save(path, store):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".kv-")
    with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as fh:
        json.dump(store, fh)
    os.replace(tmp, path)


def main(argv):
    if not argv or argv[0] not in ARITY:
        die(2, "usage: kv set|get|del|list|incr ...")
    cmd, args = argv[0], argv[1:]
    low, high = ARITY[cmd]
    if not low <= len(args) <= high:
        die(2, f"wrong number of arguments for {cmd}")
    if args and not KEY.fullmatch(args[0]):
        die(2, f"invalid key {args[0]!r}")
    path = os.environ.get("KV_FILE") or "/app/data/kv.db"
    store = load(path)
    out = sys.stdout.buffer
    if cmd == "set":
        store[args[0]] = args[1]
        save(path, store)
    elif cmd == "get":
        if args[0] not in store:
            die(1, f"no such key: {args[0]}")
        out.write(store[args[0]].encode("utf-8", "surrogateescape") + b"\n")
    elif cmd == "del":
        if args[0] not in store:
            die(1, f"no such key: {args[0]}")
        del store[args[0]]
        save(path, store)
    elif cmd == "list":
        for key in sorted(store, key=lambda k: k.encode()):
            out.write(f"{key}={store[key]}\n".encode("utf-8", "surrogateescape"))
    elif cmd == "incr":
        current = store.get(args[0], "0")
        step = args[1] if len(args) > 1 else "1"
        if not INT.fullmatch(current) or not INT.fullmatch(step):
            die(3, "not an integer")
        store[args[0]] = str(int(current, 10) + int(step, 10))
        save(path, store)
        out.write(store[args[0]].encode() + b"\n")


if __name__ == "__main__":
    main(sys.argv[1:])
