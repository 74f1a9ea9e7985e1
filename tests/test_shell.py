"""The persistent shell: state persists, budgets cut off cleanly, output never breaks it."""

from __future__ import annotations

import time
import uuid

import pexpect
import pytest

from toolgym.shell import SHELL_ARGV, ShellSession, _split_quoted, quiet_terminal, quote_ansi_c
from toolgym.task import load_task


def host_shell() -> ShellSession:
    def spawn() -> pexpect.spawn:
        return pexpect.spawn(
            SHELL_ARGV[0],
            SHELL_ARGV[1:],
            echo=False,
            preexec_fn=quiet_terminal,
            env={"PATH": "/usr/bin:/bin", "TERM": "dumb", "HOME": "/tmp"},
        )

    return ShellSession(spawn, interrupt_grace=0.3)


@pytest.fixture(params=["host", "sandbox"])
def session(request, backend, make_task):
    if request.param == "host":
        shell = host_shell()
        shell.start()
        yield shell
        shell.close()
    else:
        template = backend.prepare(load_task(make_task()))
        sandbox = backend.create(template)
        shell = sandbox.open_shell(interrupt_grace=0.3)
        yield shell
        sandbox.close()


def test_state_persists_between_commands(session):
    assert session.run("cd /tmp && export FOO=bar && myfn() { echo fn-$1; }").exit_code == 0
    result = session.run("pwd; echo $FOO; myfn 7")
    assert result.output == "/tmp\nbar\nfn-7\n"
    assert result.exit_code == 0


def test_exit_codes_and_last_status(session):
    assert session.run("false").exit_code == 1
    assert session.run("exit_code_probe() { return 42; }; exit_code_probe").exit_code == 42
    assert session.run("false").exit_code == 1
    assert session.run("echo $?").output == "1\n", "$? survives into the next command"
    result = session.run("ls /definitely/not/here")
    assert result.exit_code == 2 and "No such file" in result.output


def test_background_jobs_persist(session):
    session.run("sleep 30 &")
    assert "sleep 30" in session.run("jobs").output
    assert session.run("kill %1; wait %1 2>/dev/null; jobs -l | wc -l").exit_code == 0


def test_syntax_errors_and_quoting_are_safe(session):
    result = session.run("echo 'unterminated")
    assert result.exit_code != 0 and result.cutoff is None
    tricky = "printf '%s\\n' \"a'b\" 'c\"d' $'e\\tf' \\$HOME `echo g`"
    assert session.run(tricky).output == "a'b\nc\"d\ne\tf\n$HOME\ng\n"
    assert session.run("echo ok").output == "ok\n"


def test_long_multiline_command_beyond_terminal_line_limit(session):
    payload = "x" * 20_000
    path = f"/tmp/toolgym-long-{uuid.uuid4().hex}.txt"
    script = f"cat > {path} <<'EOF'\n{payload}\nEOF\nwc -c < {path}; rm {path}"
    result = session.run(script)
    assert result.output.strip() == str(len(payload) + 1)


def test_command_reading_stdin_does_not_swallow_the_marker(session):
    result = session.run("read -t 1 line; echo got:$line", timeout=5)
    assert result.exit_code in (0, 1) and result.output.startswith("got:")
    assert result.cutoff is None


def test_timeout_interrupts_and_session_stays_usable(session):
    session.run("cd /tmp && KEEP=1")
    start = time.monotonic()
    result = session.run("sleep 30", timeout=0.5)
    assert result.timed_out and result.cutoff == "timeout" and result.exit_code is None
    assert time.monotonic() - start < 5
    assert not result.shell_restarted
    assert session.run("echo $KEEP; pwd").output == "1\n/tmp\n"


def test_command_ignoring_sigint_is_killed(session):
    result = session.run("trap '' INT; sh -c 'trap \"\" INT; sleep 30'", timeout=0.5)
    assert result.timed_out
    assert session.run("echo alive").output == "alive\n"


def test_stuck_shell_is_restarted(session):
    result = session.run("trap '' INT; while :; do :; done", timeout=0.5)
    assert result.timed_out and result.shell_restarted
    assert session.run("echo back").output == "back\n"


def test_no_output_timeout(session):
    result = session.run("echo start; sleep 30", timeout=20, no_output_timeout=0.5)
    assert result.cutoff == "no_output" and result.output.startswith("start")
    steady = session.run(
        "for i in 1 2 3 4; do echo $i; sleep 0.2; done", timeout=20, no_output_timeout=0.6
    )
    assert steady.cutoff is None and steady.output == "1\n2\n3\n4\n"


def test_output_is_capped_with_head_tail_and_marker(session):
    result = session.run("seq 1 200000", max_output_bytes=2000)
    assert result.exit_code == 0
    assert result.output.startswith("1\n2\n3\n")
    assert result.output.rstrip().endswith("199999\n200000")
    assert "bytes of output truncated" in result.output
    assert result.truncated_bytes > 1_000_000
    assert len(result.output) < 2200


def test_endless_output_is_cut_off_with_bounded_memory(session):
    result = session.run("yes", timeout=1.0, max_output_bytes=4096)
    assert result.timed_out and len(result.output) < 5000
    assert session.run("echo fine").output == "fine\n"


def test_non_utf8_bytes_are_replaced(session):
    result = session.run("printf 'a\\xff\\xfeb\\n'; printf '\\xe2\\x82'")
    assert result.output.startswith("a\ufffd\ufffdb\n")
    assert result.exit_code == 0


def test_exit_restarts_the_shell(session):
    result = session.run("exit 3")
    assert result.cutoff == "shell_exited" and result.shell_restarted
    assert session.run("echo again").output == "again\n"


@pytest.mark.parametrize("text", ["plain", "it's", "back\\slash", "ünïcödé ✓", "\x01\x7f", "\\x41"])
def test_ansi_c_quoting_round_trips(text):
    shell = host_shell()
    shell.start()
    try:
        assert shell.run(f"printf '%s' {chr(36)}'{quote_ansi_c(text)}'").output == text
    finally:
        shell.close()


def test_chunking_never_splits_escapes():
    quoted = quote_ansi_c("a\\'b\x01" * 500)
    for size in (5, 7, 64):
        chunks = _split_quoted(quoted, size)
        assert "".join(chunks) == quoted
        for chunk in chunks:
            trailing = len(chunk) - len(chunk.rstrip("\\"))
            assert trailing % 2 == 0, chunk
