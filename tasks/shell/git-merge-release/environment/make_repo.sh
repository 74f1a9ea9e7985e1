#!/bin/bash
# Build the demo repository deterministically (fixed identities and dates) in "$1".
set -euo pipefail
repo=$1
mkdir -p "$repo"
cd "$repo"
export GIT_AUTHOR_NAME="Dana Dev" GIT_AUTHOR_EMAIL="dana@example.com"
export GIT_COMMITTER_NAME="Dana Dev" GIT_COMMITTER_EMAIL="dana@example.com"
tick=0
commit() {
    tick=$((tick + 1))
    export GIT_AUTHOR_DATE="2024-05-0${tick}T10:00:00+00:00" GIT_COMMITTER_DATE="2024-05-0${tick}T10:00:00+00:00"
    git add -A
    git commit -q -m "$1"
}
git init -q -b main .
git config core.autocrlf false

echo "1.3.0" > VERSION
cat > CHANGELOG.md <<'EOT'
# Changelog

## 1.3.0
- Add mean helper
- Read settings from settings.ini
EOT
cat > settings.ini <<'EOT'
[server]
host = 0.0.0.0
port = 8080
timeout = 30
workers = 4
retries = 3

[report]
currency = EUR
page_size = 50
EOT
cat > stats.py <<'EOT'
"""Small statistics helpers used by the reporting job."""


def mean(values):
    values = list(values)
    if not values:
        raise ValueError("mean of empty data")
    return sum(values) / len(values)
EOT
mkdir -p tests
touch tests/__init__.py
cat > tests/test_mean.py <<'EOT'
import unittest

import stats


class MeanTest(unittest.TestCase):
    def test_mean(self):
        self.assertEqual(stats.mean([1, 2, 3, 4]), 2.5)

    def test_empty(self):
        with self.assertRaises(ValueError):
            stats.mean([])
EOT
commit "Initial import"

git checkout -q -b feature/export
cat >> stats.py <<'EOT'


def export_csv(rows, delimiter=","):
    """Render rows (sequences of cells) as CSV text, one line per row."""
    return "".join(delimiter.join(str(cell) for cell in row) + "\n" for row in rows)
EOT
cat > tests/test_export.py <<'EOT'
import unittest

import stats


class ExportTest(unittest.TestCase):
    def test_export(self):
        self.assertEqual(stats.export_csv([["a", 1], ["b", 2]]), "a,1\nb,2\n")

    def test_delimiter(self):
        self.assertEqual(stats.export_csv([[1, 2]], delimiter=";"), "1;2\n")
EOT
sed -i 's/^timeout = 30$/timeout = 60/; s/^page_size = 50$/page_size = 100/' settings.ini
printf '\n[export]\ndelimiter = ;\nencoding = utf-8\n' >> settings.ini
commit "Add CSV export"
echo "1.3.1" > VERSION
sed -i 's/^# Changelog$/# Changelog\n\n## 1.3.1\n- Add CSV export/' CHANGELOG.md
commit "Release 1.3.1"

git checkout -q main
cat >> stats.py <<'EOT'


def median(values):
    """The middle value (the mean of the two middle values for even counts)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("median of empty data")
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2
EOT
cat > tests/test_median.py <<'EOT'
import unittest

import stats


class MedianTest(unittest.TestCase):
    def test_odd(self):
        self.assertEqual(stats.median([5, 1, 3]), 3)

    def test_even(self):
        self.assertEqual(stats.median([4, 1, 3, 2]), 2.5)
EOT
commit "Add median helper"
sed -i 's/^timeout = 30$/timeout = 45/; s/^workers = 4$/workers = 8/; s/^retries = 3$/retries = 5/' settings.ini
commit "Tune server settings"
echo "1.4.0" > VERSION
sed -i 's/^# Changelog$/# Changelog\n\n## 1.4.0\n- Add median helper\n- Tune server settings/' CHANGELOG.md
commit "Release 1.4.0"
