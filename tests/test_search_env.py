"""SearchEnv: tools, rewards, budgets, task rows and Harbor-style search tasks, the gate, eval."""

from __future__ import annotations

import json
from pathlib import Path

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env
from toolgym.agents import NullPolicy, OraclePolicy
from toolgym.envs import SearchEnv, environment_class, make_env
from typer.testing import CliRunner

import toolgym  # noqa: F401 - registers the environments
from toolgym.check import check_task
from toolgym.cli import app
from toolgym.rollout import run_episode
from toolgym.search.corpus import Document
from toolgym.search.index import build_index
from toolgym.task import TaskLoadError, load_task, load_tasks, resolve_task_paths

runner = CliRunner()


# Search needs no sandbox: the gate and eval must work where bubblewrap is missing.
pytestmark = pytest.mark.usefixtures("no_sandbox")


LONG_TEXT = "\n".join(f"Paragraph {n}: the lighthouse keeper logs the tide." for n in range(120))


def call(name: str, **arguments: object) -> str:
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    """A corpus, its index, and a task file with two questions (index named relatively)."""
    docs = [
        Document("city/oslo", "Oslo", "Oslo is the capital of Norway. It lies on a fjord."),
        Document("city/bergen", "Bergen", "Bergen is a rainy city on the west coast of Norway."),
        Document("person/ada", "Ada Quill", "Ada Quill was born in Bergen in 1871."),
        Document("log/tides", "Tide log", LONG_TEXT),
    ]
    build_index(docs, tmp_path / "index")
    rows = [
        {
            "id": "capital",
            "question": "What is the capital of Norway?",
            "answers": ["Oslo"],
            "index": "index",
            "support": ["city/oslo"],
            "metadata": {"category": "single-hop", "difficulty": "easy"},
        },
        {
            "id": "birth-coast",
            "question": "On which coast of Norway is the city where Ada Quill was born?",
            "answers": ["west", "the west coast"],
            "index": "index",
            "support": ["person/ada", "city/bergen"],
            "metadata": {"category": "two-hop"},
        },
    ]
    path = tmp_path / "demo.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_task_rows_load_as_tasks(suite):
    refs = resolve_task_paths(suite)
    assert [r.name for r in refs] == ["demo.jsonl#capital", "demo.jsonl#birth-coast"]
    tasks = load_tasks(suite)
    assert [t.id for t in tasks] == ["demo/capital", "demo/birth-coast"]
    task = tasks[1]
    assert task.suite == "demo" and task.name == "birth-coast" and task.category == "two-hop"
    assert task.extra["row"]["answers"] == ["west", "the west coast"] and task.extra["line"] == 2
    assert task.base_dir == suite.parent.resolve()
    assert load_task(task.path) == task, "a task's path loads it again"
    assert environment_class(task) is SearchEnv
    # A folder with a corpus next to the task file: only the task file counts.
    (suite.parent / "corpus.jsonl").write_text('{"id": "x", "title": "t", "text": "y"}\n')
    assert [t.id for t in load_tasks(suite.parent)] == ["demo/capital", "demo/birth-coast"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "question": "q"}\n{oops\n', r"demo\.jsonl:2: not valid JSON"),
        ('{"id": "a", "question": "q"}\n{"id": "a", "question": "r"}\n', r":2: id: duplicate id"),
        ('{"id": "a b", "question": "q"}\n', r"demo\.jsonl:1: id: expected a name"),
        ('{"id": "a"}\n', r"demo\.jsonl:1: question: missing or empty"),
        ('{"id": "a", "question": "q", "metadata": {"tags": 3}}\n', r":1: \[metadata\]\.tags"),
        ("\n", r"demo\.jsonl: holds no task rows"),
    ],
)
def test_bad_task_rows_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "demo.jsonl"
    path.write_text(content)
    with pytest.raises(TaskLoadError, match=message):
        load_tasks(path)


def test_search_fields_are_validated_with_file_and_line(suite, tmp_path):
    row = {"id": "x", "question": "q?", "answers": ["!!"], "index": "index"}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(TaskLoadError, match=r"bad\.jsonl:1: answers: .*empty once normalised"):
        SearchEnv(load_tasks(path)[0]).prepare()
    path.write_text(json.dumps({**row, "answers": ["ok"], "index": "nowhere"}) + "\n")
    with pytest.raises(ValueError, match="no such index"):
        SearchEnv(load_tasks(path)[0]).prepare()
    path.write_text(json.dumps({**row, "answers": ["ok"], "support": ["city/nope"]}) + "\n")
    with pytest.raises(ValueError, match="'city/nope' not in the index"):
        SearchEnv(load_tasks(path)[0]).prepare()
    with pytest.raises(TaskLoadError, match="no row with id 'missing'"):
        load_task(f"{suite}#missing")


def test_episode_tools_and_reward(suite):
    env = gym.make("toolgym/Search-v0", task=f"{suite}#birth-coast", page_chars=300)
    observation, info = env.reset(seed=0)
    assert (
        "Ada Quill was born" in observation and "search(query: string, k?: integer)" in observation
    )
    assert "west" not in observation and "west" not in json.dumps(info), "gold answers hidden"
    observation, reward, terminated, truncated, info = env.step(call("search", query="Ada Quill"))
    assert observation.startswith("Top ") and "1. id: person/ada" in observation
    assert info["tool_results"][0]["meta"]["results"][0] == "person/ada"
    assert (reward, terminated, truncated) == (0.0, False, False)
    observation, *_ = env.step(call("open", id="city/bergen"))
    assert "west coast" in observation and "[page 0 of 0-0]" in observation
    observation, *_ = env.step(call("open", id="city/atlantis"))
    assert "no document has the id 'city/atlantis'" in observation
    observation, *_ = env.step(call("search", query="xyzzy"))
    assert "No documents match" in observation
    observation, reward, terminated, truncated, info = env.step(call("answer", text="The West"))
    assert (reward, terminated, truncated) == (1.0, True, False)
    assert info["verifier"]["rewards"] == {"exact_match": 1.0, "f1": 1.0}
    env.reset()
    *_, reward, _, _, info = env.step(call("answer", text="the west side"))
    # "west side" against the alias "west": precision 1/2, recall 1.
    assert reward == 0.0 and info["verifier"]["rewards"]["f1"] == pytest.approx(2 / 3, abs=1e-6)
    env.close()


def test_open_pages_through_long_documents(suite):
    env = SearchEnv(f"{suite}#capital", page_chars=500)
    env.reset()
    pages = []
    page = 0
    while True:
        observation, *_ = env.step(call("open", id="log/tides", page=page))
        header, _, body = observation.partition("\n\n")
        assert "Tide log" in header and f"[page {page} of 0-" in header
        body, _, _ = body.partition("\n[more: ")
        assert len(body) <= 500
        pages.append(body)
        if "[more: " not in observation:
            break
        page += 1
    assert "".join(pages) == LONG_TEXT
    observation, *_ = env.step(call("open", id="log/tides", page=page + 1))
    assert f"has pages 0 to {page}, not {page + 1}" in observation


def test_budgets_truncate_like_every_tool_env(suite):
    env = SearchEnv(f"{suite}#capital", max_steps=2)
    env.reset()
    env.step(call("search", query="capital"))
    _, reward, terminated, truncated, info = env.step(call("search", query="Norway"))
    assert (reward, terminated, truncated) == (0.0, False, True)
    assert info["truncation"] == "max_steps"
    assert info["verifier"]["reason"].startswith("no answer")
    assert env.will_end(call("answer", text="x")) is True
    with pytest.raises(gym.error.ResetNeeded):
        env.step(call("answer", text="Oslo"))


def test_inline_row_and_task_switch_at_reset(suite, monkeypatch):
    monkeypatch.chdir(suite.parent)
    row = {"id": "inline", "question": "Capital of Norway?", "answers": ["Oslo"], "index": "index"}
    env = gym.make("toolgym/Search-v0", task=row)
    env.reset()
    *_, reward, _, _, _ = env.step(call("answer", text="oslo"))
    assert reward == 1.0
    observation, _ = env.reset(options={"task": f"{suite}#birth-coast"})
    assert "Ada Quill" in observation
    observation, _ = env.reset(options={"task": {**row, "question": "Where is Oslo?"}})
    assert "Where is Oslo?" in observation


def test_env_checker_passes(suite):
    env = gym.make("toolgym/Search-v0", task=f"{suite}#capital")
    check_env(env.unwrapped)
    env.close()


def test_harbor_style_search_task_dir(tmp_path, suite):
    task_dir = tmp_path / "suite" / "capital-dir"
    task_dir.mkdir(parents=True)
    (task_dir / "instruction.md").write_text("What is the capital of Norway?\n")
    index = suite.parent / "index"
    (task_dir / "task.toml").write_text(
        '[metadata]\ncategory = "single-hop"\n[toolgym]\nenvironment = "search"\n'
        f'[search]\nanswers = ["Oslo"]\nindex = "{index}"\nsupport = ["city/oslo"]\n'
    )
    task = load_task(task_dir)
    assert task.id == "suite/capital-dir" and environment_class(task) is SearchEnv
    result = check_task(task_dir)
    assert result.passed, result.problems
    (task_dir / "task.toml").write_text('[toolgym]\nenvironment = "search"\n')
    with pytest.raises(TaskLoadError, match=r"task\.toml: \[search\]: missing"):
        SearchEnv(task_dir).prepare()


def test_oracle_and_null_through_the_gate(suite):
    for task in load_tasks(suite):
        env = make_env(task, backend="ignored", prewarm=False, max_steps=10)
        assert isinstance(env, SearchEnv) and env.max_steps == 10
        oracle = run_episode(env, OraclePolicy())
        assert oracle.reward == 1.0 and oracle.steps == 2 * len(task.extra["row"]["support"]) + 1
        names = [m["tool_calls"][0]["function"]["name"] for m in oracle.messages[1::2]]
        assert names[:2] == ["search", "open"] and names[-1] == "answer"
        assert run_episode(env, NullPolicy()).reward == 0.0
        env.close()
        result = check_task(task)
        assert result.passed and result.rewards["oracle"] == 1.0, result.problems


def test_eval_runs_search_tasks(suite, tmp_path):
    out = tmp_path / "run"
    result = runner.invoke(
        app, ["eval", "--tasks", str(suite), "--agent", "oracle", "--out", str(out), "-j", "2"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    records = [json.loads(line) for line in (out / "trajectories.jsonl").read_text().splitlines()]
    assert sorted(r["task_id"] for r in records) == ["demo/birth-coast", "demo/capital"]
    assert all(r["passed"] and r["reward"] == 1.0 for r in records)
    assert {r["name"] for r in records[0]["rewards"]} == {"exact_match", "f1"}
    assert summary["episodes_run"] == 2 and summary["errors"] == 0
