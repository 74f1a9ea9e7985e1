"""SqlEnv: result tables and their caps, errors as observations, the sealed database (no
ATTACH, no extensions, no filesystem pragmas, a per-call deadline, a size cap), episode
isolation, grading of answers and of database changes, task errors, and the built-in suite's
gate."""

from __future__ import annotations

import json
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import gymnasium as gym
import pytest
from gymnasium.utils.env_checker import check_env
from toolgym.agents import NullPolicy, OraclePolicy
from toolgym.envs import SqlEnv, environment_class
from toolgym.envs.sql import (
    AnswerKey,
    answer_matches,
    check_suite,
    database_image,
    grade_change,
    parse_number,
    split_list,
)

import toolgym  # noqa: F401 - registers the environments
from toolgym import sealed_sqlite
from toolgym.check import check_task
from toolgym.rollout import run_episode
from toolgym.sealed_sqlite import SealedDatabase, SqlLimits, split_statements
from toolgym.task import TaskLoadError, load_task, resolve_task_paths
from toolgym.testing import check_env_conformance

SUITE = Path(__file__).resolve().parent.parent / "tasks" / "sql"

SCHEMA = """
CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, qty INTEGER NOT NULL);
"""
DATA = """
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 120)
INSERT INTO items (id, name, qty) SELECT i, 'item ' || i, i % 7 - 2 FROM n;
"""
CHECKS = """
tables = ["items"]

[[check]]
name = "no negative quantity"
sql = "SELECT count(*) FROM items WHERE qty < 0"
expect = [[0]]

[[check]]
name = "every row kept"
sql = "SELECT count(*), sum(id) FROM items"
expect = [[120, 7260]]
"""
FIX = "UPDATE items SET qty = abs(qty) WHERE qty < 0;"


def write_task(
    root: Path,
    name: str = "demo",
    *,
    kind: str = "answer",
    schema: str = SCHEMA,
    data: str | None = DATA,
    expected: dict | None = None,
    checks: str = CHECKS,
    solution: str | None = "SELECT count(*) FROM items WHERE qty < 0;",
    answer: str = "35",
) -> Path:
    """A SQL task directory: by default, "how many items have a negative quantity?" (35)."""
    path = root / name
    for folder in ("environment", "solution", "tests"):
        (path / folder).mkdir(parents=True, exist_ok=True)
    (path / "task.toml").write_text(
        '[metadata]\ncategory = "test"\ndifficulty = "easy"\n[agent]\ntimeout_sec = 60\n'
        f'[toolgym]\nenvironment = "sql"\n[sql]\nkind = "{kind}"\n'
    )
    (path / "instruction.md").write_text("How many items have a negative quantity?\n")
    (path / "environment" / "schema.sql").write_text(textwrap.dedent(schema))
    if data is not None:
        (path / "environment" / "data.sql").write_text(textwrap.dedent(data))
    if kind == "answer":
        key = expected if expected is not None else {"answers": [35], "tolerance": 0}
        (path / "tests" / "expected.json").write_text(json.dumps(key))
        (path / "solution" / "answer.txt").write_text(answer + "\n")
    else:
        (path / "tests" / "checks.toml").write_text(textwrap.dedent(checks))
    if solution is not None:
        (path / "solution" / "solution.sql").write_text(solution + "\n")
    return path


def call(name: str, **arguments: object) -> str:
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


@pytest.fixture
def answer_task(tmp_path: Path) -> Path:
    return write_task(tmp_path)


@pytest.fixture
def change_task(tmp_path: Path) -> Path:
    return write_task(tmp_path, "fix", kind="change", solution=FIX)


@pytest.fixture
def env(answer_task: Path):
    environment = SqlEnv(answer_task, max_rows=5, query_timeout=5)
    environment.reset(seed=0)
    yield environment
    environment.close()


def query(env: SqlEnv, sql: str) -> tuple[str, dict]:
    observation, reward, terminated, truncated, info = env.step(call("query", sql=sql))
    assert (reward, terminated, truncated) == (0.0, False, False)
    return observation, info["tool_results"][0]


# -- tools ----------------------------------------------------------------------------------
def test_first_observation_lists_tools_and_how_to_finish(answer_task, change_task):
    env = SqlEnv(answer_task)
    observation, info = env.reset(seed=0)
    assert "How many items have a negative quantity?" in observation
    assert "call answer with the value alone" in observation
    assert [tool["function"]["name"] for tool in info["tools"]] == ["query", "answer", "submit"]
    sql_schema = info["tools"][0]["function"]["parameters"]
    assert (
        sql_schema["required"] == ["sql"]
        and "statements" in sql_schema["properties"]["sql"]["description"]
    )
    observation, _ = env.reset(options={"task": change_task})
    assert "then call submit" in observation and env.kind == "change"
    env.close()


def test_result_is_an_aligned_table_with_a_row_count(env):
    text, result = query(env, "SELECT id, name, qty FROM items WHERE id IN (1, 10) ORDER BY id")
    assert text.splitlines() == [
        "id | name    | qty",
        "---+---------+----",
        "1  | item 1  | -1",
        "10 | item 10 | 1",
        "(2 rows)",
    ]
    assert result["exit_code"] == 0 and result["meta"] == {"statements": 1, "rows": 2}
    text, _ = query(env, "SELECT NULL AS n, x'00ff' AS b, 2.5 AS f, 'a' || char(10) || 'b' AS s")
    assert text.splitlines()[2] == "NULL | x'00ff' | 2.5 | a\\nb" and text.endswith("(1 row)")


def test_long_results_show_the_first_rows_and_count_the_rest(env, monkeypatch):
    text, result = query(env, "SELECT id FROM items")
    lines = text.splitlines()
    assert lines[2:7] == ["1", "2", "3", "4", "5"] and len(lines) == 8
    assert "showing the first 5 of 120 rows" in lines[-1] and result["meta"]["rows"] == 120
    monkeypatch.setattr(sealed_sqlite, "COUNT_CAP", 50)
    text, _ = query(env, "SELECT id FROM items")
    assert "showing the first 5 of more than 50 rows" in text


def test_wide_cells_and_long_outputs_are_cut_with_markers(answer_task):
    env = SqlEnv(answer_task, max_rows=100, max_output_chars=500)
    env.reset(seed=0)
    text, _ = query(env, "SELECT printf('%.500c', 'x') AS wide")
    assert "x" * 150 in text and "x" * 250 not in text and "…" in text
    text, _ = query(env, "SELECT id, name FROM items")
    assert len(text) <= 500 and "[... output cut:" in text and "more characters not shown" in text
    env.close()


def test_sql_errors_are_observations_and_the_episode_goes_on(env):
    text, result = query(env, "SELEC 1")
    assert text == 'Error: near "SELEC": syntax error' and result["exit_code"] == 1
    text, _ = query(env, "SELECT nope FROM items")
    assert text == "Error: no such column: nope"
    text, _ = query(env, "-- only a comment")
    assert text.startswith("Error: no SQL statement found")
    text, result = query(env, "SELECT count(*) FROM items")
    assert "120" in text and result["exit_code"] == 0


def test_several_statements_run_in_order_until_one_fails(env):
    text, result = query(
        env, "UPDATE items SET qty = 0 WHERE id <= 3; SELECT sum(qty) FROM items WHERE id <= 3"
    )
    assert text.startswith("[1] UPDATE items") and "OK (3 rows changed)" in text
    assert "[2] SELECT sum(qty)" in text and result["meta"]["statements"] == 2
    text, result = query(env, "DELETE FROM items WHERE id = 1; SELECT nope; DELETE FROM items")
    assert "OK (1 row changed)" in text and "Error: no such column: nope" in text
    assert "statement 2 failed" in text and result["exit_code"] == 1
    text, _ = query(env, "SELECT count(*) FROM items")
    assert "119" in text, "the statement after the failing one did not run"


def test_statement_splitting_respects_strings_comments_and_triggers():
    """Comments before a statement are dropped; those inside it stay."""
    script = """
        INSERT INTO t VALUES ('a;b', "c;d"); -- a comment; with a semicolon
        /* block; comment */ CREATE TRIGGER tr AFTER INSERT ON t BEGIN
            UPDATE t SET x = 1; DELETE FROM t WHERE 0;
        END;
        SELECT [odd;name] FROM t
    """
    statements = split_statements(script)
    assert len(statements) == 3
    assert statements[0] == """INSERT INTO t VALUES ('a;b', "c;d");"""
    assert statements[1].startswith("CREATE TRIGGER tr") and statements[1].endswith("END;")
    assert statements[2] == "SELECT [odd;name] FROM t"
    assert split_statements("-- nothing\n;; /* x */") == []


# -- the sealed database --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("ATTACH DATABASE '{tmp}/attached.db' AS other", "ATTACH, DETACH and VACUUM"),
        ("ATTACH DATABASE 'file:{tmp}/uri.db?mode=rwc' AS other", "ATTACH, DETACH and VACUUM"),
        ("VACUUM INTO '{tmp}/copy.db'", "ATTACH, DETACH and VACUUM"),
        ("SELECT load_extension('{tmp}/evil.so')", "load_extension() is not available"),
        ("PRAGMA temp_store_directory = '{tmp}'", "temp_store_directory = {tmp} is not allowed"),
        ("PRAGMA journal_mode = WAL", "journal_mode = WAL is not allowed"),
        ("PRAGMA writable_schema = ON", "writable_schema = ON is not allowed"),
        ("PRAGMA max_page_count = 99999999", "max_page_count = 99999999 is not allowed"),
        ("PRAGMA page_size = 512", "page_size = 512 is not allowed"),
    ],
)
def test_escapes_are_refused_and_touch_no_file(env, tmp_path, sql, message):
    text, result = query(env, sql.format(tmp=tmp_path))
    assert text.startswith("Error: ") and message.format(tmp=tmp_path) in text
    assert result["meta"].get("denied") is True and result["exit_code"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"], "no file was created"


def test_introspection_and_harmless_settings_are_allowed(env):
    assert "qty" in query(env, "PRAGMA table_info(items)")[0]
    assert "qty" in query(env, "SELECT name FROM pragma_table_info('items')")[0]
    assert query(env, "PRAGMA foreign_keys = ON")[0] == "OK"
    assert "1" in query(env, "PRAGMA foreign_keys")[0]
    assert query(env, "PRAGMA integrity_check")[0].splitlines()[2] == "ok"


def test_a_long_query_is_stopped_at_the_deadline_and_the_database_still_works(answer_task):
    env = SqlEnv(answer_task, query_timeout=0.3)
    env.reset(seed=0)
    text, result = query(
        env, "WITH RECURSIVE r (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT max(i) FROM r"
    )
    assert "stopped after 0.3s" in text and result["meta"]["cutoff"] == "timeout"
    assert "120" in query(env, "SELECT count(*) FROM items")[0]
    env.close()


def test_the_database_size_is_capped(answer_task):
    env = SqlEnv(answer_task, max_db_mb=1)
    env.reset(seed=0)
    rows = (
        "AS WITH RECURSIVE r (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 5000) "
        "SELECT randomblob(1000) AS b FROM r"
    )
    text, _ = query(env, f"CREATE TABLE big {rows}")
    assert "database or disk is full" in text and "capped at 1 MiB" in text
    text, _ = query(env, f"CREATE TEMP TABLE big {rows}")
    assert "capped at 1 MiB" in text, "the temporary database is capped too"
    env.close()


def test_a_memory_bomb_hits_the_heap_cap_not_the_host():
    """A sorter over endless big rows: with the defaults it spills gigabytes to the host's
    /var/tmp within one deadline; sealed, it stays in memory and fails fast at the cap."""
    script = textwrap.dedent(
        """
        import glob, time
        from toolgym.sealed_sqlite import SealedDatabase
        before = set(glob.glob("/var/tmp/etilqs_*") + glob.glob("/tmp/etilqs_*"))
        db = SealedDatabase()
        start = time.monotonic()
        [result] = db.run("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                          "SELECT zeroblob(500000) FROM c ORDER BY 1")
        seconds = time.monotonic() - start
        after = set(glob.glob("/var/tmp/etilqs_*") + glob.glob("/tmp/etilqs_*"))
        # VmHWM, not ru_maxrss: the latter keeps the forking parent's peak across exec.
        status = open("/proc/self/status").read()
        rss_mb = int(status.split("VmHWM:")[1].split()[0]) / 1024
        print(result.error, "|", seconds < 5, rss_mb < 400, after == before,
              db.run("SELECT 6 * 7")[0].rows)
        """
    )
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "TOOLGYM_SQL_HEAP_MB": "64"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    error, checks = done.stdout.strip().split(" | ")
    assert error.startswith("out of memory: SQLite may use 64 MiB"), error
    assert checks == "True True True [(42,)]", checks


def test_limits_are_validated():
    with pytest.raises(ValueError, match="timeout must be positive"):
        SqlLimits(timeout=0)
    with pytest.raises(ValueError, match="max_db_mb at least 1"):
        SqlLimits(max_db_mb=0)


# -- episodes -------------------------------------------------------------------------------
def test_episodes_and_environments_share_no_data(answer_task):
    first, second = SqlEnv(answer_task), SqlEnv(answer_task)
    first.reset(seed=0)
    second.reset(seed=0)
    query(first, "DELETE FROM items; CREATE TABLE extra (x); CREATE TEMP TABLE scratch (y)")
    assert query(first, "SELECT count(*) FROM items")[0].splitlines()[2] == "0"
    assert query(second, "SELECT count(*) FROM items")[0].splitlines()[2] == "120"
    first.reset(seed=1)
    assert query(first, "SELECT count(*) FROM items")[0].splitlines()[2] == "120"
    text, _ = query(
        first, "SELECT name FROM sqlite_schema UNION ALL SELECT name FROM temp.sqlite_schema"
    )
    assert "extra" not in text and "scratch" not in text
    first.close()
    second.close()


def test_steps_may_run_on_other_threads(env):
    """The rollout engine steps environments from a thread pool."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        text, _ = pool.submit(query, env, "SELECT count(*) FROM items").result()
    assert "120" in text


def test_gymnasium_make_and_check_env(answer_task):
    env = gym.make("toolgym/Sql-v0", task=answer_task, disable_env_checker=True)
    check_env(env.unwrapped, skip_render_check=True)
    assert isinstance(env.unwrapped, SqlEnv)
    assert environment_class(load_task(answer_task)) is SqlEnv
    env.close()


def test_conformance_kit_passes(answer_task, change_task):
    report = check_env_conformance("toolgym/Sql-v0", [answer_task, change_task])
    assert report.ok, report.summary()


# -- grading --------------------------------------------------------------------------------
def finish(env: SqlEnv, action: str) -> tuple[float, dict]:
    _, reward, terminated, truncated, info = env.step(action)
    assert terminated and not truncated
    return reward, info["verifier"]


@pytest.mark.parametrize(
    ("value", "reward"),
    [("35", 1.0), (" 35. ", 1.0), ("35.0", 1.0), ("'35'", 1.0), ("34", 0.0), ("35 or 36", 0.0)],
)
def test_answers_are_graded_against_the_hidden_key(answer_task, value, reward):
    env = SqlEnv(answer_task)
    env.reset(seed=0)
    got, verifier = finish(env, call("answer", value=value))
    assert got == reward and verifier["rewards"] == {"correct": reward}
    assert repr(value) in verifier["output"]
    env.close()


def test_submit_on_an_answer_task_gives_no_answer(answer_task):
    env = SqlEnv(answer_task)
    env.reset(seed=0)
    reward, verifier = finish(env, call("submit"))
    assert reward == 0.0 and "no answer" in verifier["reason"]
    env.close()


def test_answer_matching_rules():
    key = AnswerKey(answers=[1234.5], tolerance=0.005)
    assert answer_matches("1,234.50", 1234.5, key) and answer_matches("$1234.504", 1234.5, key)
    assert not answer_matches("1234.51", 1234.5, key) and not answer_matches("1 234.5", 1234.5, key)
    text = AnswerKey(answers=["Ada Quill"])
    assert answer_matches("  ada   QUILL. ", "Ada Quill", text)
    assert not answer_matches("Ada Quill, Bo Park", "Ada Quill", text)
    ordered = AnswerKey(answers=[["Outdoor", "Kitchen", 3]])
    assert answer_matches("[Outdoor, kitchen, 3.0]", ["Outdoor", "Kitchen", 3], ordered)
    assert not answer_matches("Kitchen, Outdoor, 3", ["Outdoor", "Kitchen", 3], ordered)
    unordered = AnswerKey(answers=[[37, 211]], ordered=False)
    assert answer_matches("211\n37", [37, 211], unordered)
    assert not answer_matches("211, 37, 37", [37, 211], unordered)
    assert not answer_matches("211", [37, 211], unordered)
    assert split_list("(a; b,\n c)") == ["a", "b", "c"] and parse_number("-3e2") == -300.0
    assert parse_number("1e999") is None and parse_number("12 apples") is None


def test_several_accepted_answers(tmp_path):
    task = write_task(tmp_path, expected={"answers": ["2024-07", "July 2024"]})
    env = SqlEnv(task)
    for value, reward in (("july 2024", 1.0), ("2024-07", 1.0), ("2024-08", 0.0)):
        env.reset(seed=0)
        assert finish(env, call("answer", value=value))[0] == reward
    env.close()


def test_a_change_is_graded_by_every_check(change_task):
    env = SqlEnv(change_task)
    env.reset(seed=0)
    query(env, FIX)
    reward, verifier = finish(env, call("submit"))
    assert reward == 1.0 and verifier["rewards"] == {"all_checks": 1.0, "checks_passed": 1.0}
    assert verifier["output"].splitlines() == [
        "PASS items is a table",
        "PASS no negative quantity",
        "PASS every row kept",
    ]
    env.reset(seed=0)
    query(env, "DELETE FROM items WHERE qty < 0")
    reward, verifier = finish(env, call("answer", value="done"))
    assert reward == 0.0 and verifier["rewards"]["checks_passed"] == pytest.approx(2 / 3)
    assert "FAIL every row kept: got [[85, " in verifier["output"]
    env.close()


@pytest.mark.parametrize(
    ("hack", "failing"),
    [
        # A temporary table shadows the real one for this connection only.
        ("CREATE TEMP TABLE items AS SELECT * FROM main.items WHERE qty >= 0", "no negative"),
        # Work left in an open transaction is rolled back, as a closed connection does.
        ("BEGIN; " + FIX, "no negative"),
        # A table the checks read is gone: the checks fail, they do not pass vacuously.
        ("DROP TABLE items", "error: no such table: items"),
        # A view in the table's place, hiding the bad rows.
        (
            "ALTER TABLE items RENAME TO raw; CREATE VIEW items AS SELECT id, name, "
            "abs(qty) AS qty FROM raw",
            "FAIL items is a view",
        ),
    ],
)
def test_change_hacks_earn_nothing(change_task, hack, failing):
    env = SqlEnv(change_task)
    env.reset(seed=0)
    query(env, hack)
    reward, verifier = finish(env, call("submit"))
    assert reward == 0.0 and failing in verifier["output"]
    env.close()


def test_checks_may_expect_an_error_and_run_in_a_rolled_back_savepoint(tmp_path):
    checks = """
        [[check]]
        name = "a duplicate name is refused"
        sql = "INSERT INTO items (name, qty) VALUES ('item 1', 1)"
        expect_error = "UNIQUE constraint failed"

        [[check]]
        name = "the insert above left nothing behind"
        sql = "SELECT count(*) FROM items"
        expect = [[120]]
    """
    task = write_task(
        tmp_path,
        "unique",
        kind="change",
        checks=checks,
        solution="CREATE UNIQUE INDEX items_name ON items (name);",
    )
    suite = SqlEnv(task)
    suite.reset(seed=0)
    assert finish(suite, call("submit"))[1]["output"].startswith(
        "FAIL a duplicate name is refused: the statement succeeded"
    )
    suite.reset(seed=0)
    query(suite, "CREATE UNIQUE INDEX items_name ON items (name)")
    assert finish(suite, call("submit"))[0] == 1.0
    suite.close()


def test_a_trigger_that_fakes_the_error_is_caught_and_cannot_break_grading(tmp_path):
    checks = """
        [[check]]
        name = "a duplicate name is refused"
        sql = "INSERT INTO items (name, qty) VALUES ('item 1', 1)"
        expect_error = "UNIQUE constraint failed"

        [[check]]
        name = "a new name is accepted"
        sql = "INSERT INTO items (name, qty) VALUES ('brand new', 1); SELECT changes()"
        expect = [[1]]
    """
    task = write_task(tmp_path, "unique", kind="change", checks=checks, solution=None)
    env = SqlEnv(task)
    env.reset(seed=0)
    query(
        env,
        "CREATE TRIGGER fake BEFORE INSERT ON items "
        "BEGIN SELECT RAISE(ROLLBACK, 'UNIQUE constraint failed'); END",
    )
    reward, verifier = finish(env, call("submit"))
    assert reward == 0.0 and verifier["output"].splitlines()[0].startswith("PASS a duplicate")
    assert "FAIL a new name is accepted: error: UNIQUE constraint failed" in verifier["output"]
    env.close()


def test_a_broken_grading_file_scores_zero_with_the_reason(change_task):
    env = SqlEnv(change_task)
    env.reset(seed=0)
    (change_task / "tests" / "checks.toml").write_text("tables = [")
    reward, verifier = finish(env, call("submit"))
    assert reward == 0.0 and "checks.toml: invalid TOML" in verifier["reason"]
    env.close()


def test_grading_has_its_own_deadline(change_task):
    task = load_task(change_task)
    suite = check_suite(task)
    endless = (
        "WITH RECURSIVE r (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT max(i) FROM r"
    )
    suite.check[0].sql = endless
    verdict = grade_change(database_image(task), suite, timeout=0.2)
    assert verdict.reward == 0.0 and "stopped after" in verdict.output
    assert verdict.timed_out and "not run (the verifier's time ran out)" in verdict.output


# -- tasks ----------------------------------------------------------------------------------
def test_task_errors_name_the_file_and_field(tmp_path):
    task = write_task(tmp_path, "bad-kind")
    toml = task / "task.toml"
    toml.write_text(toml.read_text().replace('kind = "answer"', 'kind = "essay"'))
    with pytest.raises(TaskLoadError, match=r"task\.toml: \[sql\]\.kind: Input should be"):
        SqlEnv(task)
    toml.write_text(toml.read_text().replace('[sql]\nkind = "essay"\n', ""))
    with pytest.raises(TaskLoadError, match=r"task\.toml: \[sql\]: missing"):
        SqlEnv(task)

    task = write_task(tmp_path, "bad-key", expected={"answers": []})
    with pytest.raises(TaskLoadError, match=r"expected\.json: answers: List should have at least"):
        SqlEnv(task).prepare()

    task = write_task(tmp_path, "bad-sql", data="INSERT INTO nowhere VALUES (1);\n")
    with pytest.raises(
        TaskLoadError, match=r"data\.sql: statement 1 \(INSERT INTO nowhere.*no such"
    ):
        SqlEnv(task).prepare()

    both = '[[check]]\nname = "x"\nsql = "SELECT 1"\nexpect = [[1]]\nexpect_error = "y"\n'
    task = write_task(tmp_path, "bad-check", kind="change", checks=both)
    with pytest.raises(
        TaskLoadError, match=r"checks\.toml: \[check\]\.0: Value error, give exactly"
    ):
        SqlEnv(task).prepare()

    task = write_task(tmp_path, "no-schema")
    (task / "environment" / "schema.sql").unlink()
    with pytest.raises(TaskLoadError, match=r"schema\.sql: missing"):
        load_task(task)


def test_oracle_and_null_agents(answer_task, change_task):
    for task in (answer_task, change_task):
        env = SqlEnv(task)
        assert run_episode(env, OraclePolicy()).reward == 1.0
        null = run_episode(env, NullPolicy())
        assert null.reward == 0.0 and null.steps == 1
        env.close()


def test_task_template_is_a_working_task_once_filled(tmp_path):
    files = SqlEnv.task_template("count-cancelled", "sql")
    assert all(name in files for name in ("environment/schema.sql", "tests/expected.json"))
    for relative, text in files.items():
        path = tmp_path / "t" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        filled = text.replace("TODO(toolgym): the answer the reference SQL gives, e.g. ", "")
        path.write_text("\n".join(line for line in filled.splitlines() if "TODO(" not in line))
    assert "TODO(" not in (tmp_path / "t" / "solution" / "answer.txt").read_text()
    assert check_task(tmp_path / "t", backend=None).rewards == {
        "oracle": 1.0,
        "null": 0.0,
        "hacker": 0.0,
    }


# -- the built-in suite ---------------------------------------------------------------------
def test_suite_size_kinds_and_metadata():
    tasks = [load_task(path) for path in resolve_task_paths(SUITE)]
    assert len(tasks) >= 20
    kinds = {SqlEnv(task).kind for task in tasks}
    assert kinds == {"answer", "change"}
    assert {task.difficulty for task in tasks} == {"easy", "medium", "hard"}
    assert {"aggregate", "join", "window", "anomaly", "fix-rows", "constraint", "migration"} <= {
        task.category for task in tasks
    }


def test_suite_reference_sql_gives_the_hidden_answer():
    """solution.sql and tests/expected.json agree (answer.txt alone could hide a wrong key)."""
    for path in resolve_task_paths(SUITE):
        task = load_task(path)
        if SqlEnv(task).kind != "answer":
            continue
        db = SealedDatabase(database_image(task))
        try:
            last = db.run((path / "solution" / "solution.sql").read_text())[-1]
        finally:
            db.close()
        assert last.error is None, (task.id, last.error)
        values = [row[0] for row in last.rows]
        key = json.loads((path / "tests" / "expected.json").read_text())
        value = ", ".join(map(str, values))
        assert answer_matches(value, key["answers"][0], AnswerKey(**key)), (task.id, value)


def test_suite_passes_the_gate():
    for path in resolve_task_paths(SUITE):
        result = check_task(path, backend=None)
        assert result.passed, (result.task_id, result.problems)
