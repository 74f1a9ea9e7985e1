import os
import sys
import tempfile

sys.path.insert(0, "/tests")
import make_docs
import reference

with tempfile.TemporaryDirectory() as tmp:
    make_docs.write(tmp)
    root = os.path.join(tmp, "docs")
    pristine = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8", newline="") as fh:
                pristine[os.path.relpath(path, root)] = fh.read()

changed = 0
errors = []
for rel, text in sorted(pristine.items()):
    want = reference.rewrite(text) if rel.endswith(".md") else text
    changed += want != text
    try:
        with open(os.path.join("/app/docs", rel), encoding="utf-8", newline="") as fh:
            got = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(f"{rel}: cannot read: {exc}")
        continue
    if got != want:
        g, w = got.split("\n"), want.split("\n")
        for i in range(max(len(g), len(w))):
            gl = g[i] if i < len(g) else "<missing>"
            wl = w[i] if i < len(w) else "<missing>"
            if gl != wl:
                words_g, words_w = gl.split(" "), wl.split(" ")
                j = next(
                    (
                        k
                        for k in range(max(len(words_g), len(words_w)))
                        if words_g[k : k + 1] != words_w[k : k + 1]
                    ),
                    0,
                )
                errors.append(
                    f"{rel} line {i + 1}: expected ...{' '.join(words_w[max(0, j - 3) : j + 4])!r}..., got ...{' '.join(words_g[max(0, j - 3) : j + 4])!r}..."
                )
                break
assert changed >= 5
if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"ok: {len(pristine)} files")
