"""Pass@k and the per-task, per-category and overall summaries of an evaluation run."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from ``n`` samples with ``c`` successes (Chen et al., 2021).

    ``1 - C(n - c, k) / C(n, k)``, computed as a product so large ``n`` cannot overflow.
    """
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got k={k}, n={n}")
    if n - c < k:
        return 1.0
    return 1.0 - math.prod(1.0 - k / i for i in range(n - c + 1, n + 1))


def k_values(samples: int) -> list[int]:
    """The k to report for ``samples`` attempts per task: 1, 2, 4, ... and ``samples``."""
    values = {samples}
    k = 1
    while k < samples:
        values.add(k)
        k *= 2
    return sorted(values)


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def summarize(records: list[dict[str, Any]], samples: int) -> dict[str, Any]:
    """Summaries of a run's trajectory records (tasks with fewer samples use what they have)."""
    by_task: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_task[record["task_id"]].append(record)
    tasks: dict[str, dict[str, Any]] = {}
    for task_id, runs in sorted(by_task.items()):
        n = len(runs)
        c = sum(1 for r in runs if r["passed"])
        ks = [k for k in k_values(samples) if k <= n]
        best = max(runs, key=lambda r: (r["reward"], -r["sample"]))
        tasks[task_id] = {
            "category": runs[0]["category"] or "uncategorised",
            "difficulty": runs[0]["difficulty"],
            "n": n,
            "passed": c,
            "mean_reward": _mean([r["reward"] for r in runs]),
            "best_of_n_reward": best["reward"],
            **{f"pass@{k}": pass_at_k(n, c, k) for k in ks},
        }
    ks = k_values(samples)

    def group(items: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tasks": len(items),
            "episodes": sum(t["n"] for t in items),
            "mean_reward": _mean([t["mean_reward"] for t in items]),
        }
        for k in ks:
            scored = [t[f"pass@{k}"] for t in items if f"pass@{k}" in t]
            out[f"pass@{k}"] = _mean(scored) if scored else None
        return out

    categories: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for info in tasks.values():
        categories[info["category"]].append(info)
    return {
        "samples": samples,
        "k": ks,
        "overall": group(list(tasks.values())),
        "by_category": {name: group(items) for name, items in sorted(categories.items())},
        "by_task": tasks,
        "end_reasons": dict(Counter(r["end_reason"] for r in records)),
    }
