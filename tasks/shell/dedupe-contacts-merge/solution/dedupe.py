"""Group contacts by shared email/phone keys (union-find) and keep the newest of each group."""

import csv
import re

with open("/app/data/contacts.csv", encoding="utf-8", newline="") as fh:
    lines = fh.read().split("\n")
header, body = lines[0], [line for line in lines[1:] if line]
records = [next(csv.reader([line])) for line in body]

parent = list(range(len(records)))


def find(i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


owner = {}
for idx, (_id, _name, email, phone, _ts) in enumerate(records):
    keys = []
    if email.strip():
        keys.append("e:" + email.strip().lower())
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 10:
        keys.append("p:" + digits[-10:])
    for key in keys:
        if key in owner:
            parent[find(idx)] = find(owner[key])
        else:
            owner[key] = idx

groups = {}
for idx in range(len(records)):
    groups.setdefault(find(idx), []).append(idx)
keep = {}
for members in groups.values():
    best = max(members, key=lambda i: (records[i][4], -int(records[i][0])))
    for i in members:
        keep[i] = best

with open("/app/data/contacts_dedup.csv", "w", encoding="utf-8", newline="") as fh:
    fh.write(header + "\n")
    fh.writelines(body[i] + "\n" for i in range(len(records)) if keep[i] == i)
pairs = sorted((int(records[i][0]), int(records[k][0])) for i, k in keep.items() if i != k)
with open("/app/data/merge_map.csv", "w", encoding="utf-8", newline="") as fh:
    fh.write("removed_id,kept_id\n")
    fh.writelines(f"{a},{b}\n" for a, b in pairs)
