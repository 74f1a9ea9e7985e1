"""Family ``rename-pattern``: rename the files that match a naming scheme into another one."""

from __future__ import annotations

import hashlib
import random

from toolgym.generate.base import Family, GeneratedTask, dockerfile

PREFIXES = ["IMG", "DSC", "SCAN", "REC", "CAP"]
EXTENSIONS = ["JPG", "PNG", "TIF", "WAV", "PDF"]


class RenamePattern(Family):
    name = "rename-pattern"
    category = "files-and-permissions"
    description = "rename files matching PREFIX_YYYYMMDD_NNNN.EXT to YYYY-MM-DD-NNNN.ext"

    def build(self, rng: random.Random) -> GeneratedTask:
        prefix = rng.choice(PREFIXES)
        ext = rng.choice(EXTENSIONS)
        files: dict[str, bytes] = {}
        expected: dict[str, str] = {}
        used: set[str] = set()
        for _ in range(rng.randint(25, 60)):
            date = f"{rng.randint(2015, 2024)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            number = f"{rng.randint(0, 9999):04d}"
            name = f"{prefix}_{date}_{number}.{ext}"
            new = f"{date[:4]}-{date[4:6]}-{date[6:]}-{number}.{ext.lower()}"
            if name in used or new in used:
                continue
            used.update((name, new))
            content = rng.randbytes(rng.randint(16, 256))
            files[name] = content
            expected[new] = hashlib.sha256(content).hexdigest()
        decoys = [
            f"{prefix.lower()}_{rng.randint(20150101, 20241228)}_{rng.randint(0, 9999):04d}.{ext}",
            f"{prefix}_{rng.randint(201501, 202412)}_{rng.randint(0, 99):02d}.{ext}",
            f"{prefix}_{rng.randint(20150101, 20241228)}_{rng.randint(0, 9999):04d}.{ext}.bak",
            f"notes {rng.randint(1, 99)}.txt",
            f"{prefix}_{rng.randint(20150101, 20241228)}_{rng.randint(10000, 99999)}.{ext}",
        ]
        for name in decoys:
            if name in used:
                continue
            used.add(name)
            content = rng.randbytes(rng.randint(16, 128))
            files[name] = content
            expected[name] = hashlib.sha256(content).hexdigest()
        instruction = f"""\
The folder `/app/media` holds files exported from a device. Rename every file whose name is
exactly `{prefix}_YYYYMMDD_NNNN.{ext}` (the prefix `{prefix}` in capitals, an 8-digit date,
an underscore, a 4-digit number, and the extension `.{ext}` in capitals) to
`YYYY-MM-DD-NNNN.{ext.lower()}` in the same folder, for example
`{prefix}_20190304_0042.{ext}` becomes `2019-03-04-0042.{ext.lower()}`.

Leave every other file exactly as it is, and do not change any file's content.
"""
        solution = f"""#!/bin/bash
set -euo pipefail
cd /app/media
for f in *; do
    if [[ "$f" =~ ^{prefix}_([0-9]{{4}})([0-9]{{2}})([0-9]{{2}})_([0-9]{{4}})\\.{ext}$ ]]; then
        m=("${{BASH_REMATCH[@]}}")
        mv -- "$f" "${{m[1]}}-${{m[2]}}-${{m[3]}}-${{m[4]}}.{ext.lower()}"
    fi
done
"""
        return GeneratedTask(
            instruction=instruction,
            files={f"media/{name}": content for name, content in files.items()},
            dockerfile=dockerfile("COPY media/ /app/media/\n"),
            solution=solution,
            checks=[{"type": "tree", "root": "/app/media", "files": expected}],
            difficulty="easy",
            tags=["mv", "regex", "bash"],
        )
