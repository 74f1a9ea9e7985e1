"""A persistent bash session driven through a pseudo-terminal (pexpect).

One interactive bash lives for the whole episode, so the working directory, variables, functions
and background jobs persist between commands, as in a terminal. Each command is sent as ANSI-C
quoted text (``$'...'``) assigned to a variable in short lines, then ``eval``-ed on the same line
as a completion marker carrying a per-session nonce, a sequence number and the exit code. So:

* no command is too long for the terminal's 4 KiB line limit and no quoting can break out;
* a command that reads stdin never swallows the marker (the line was read already);
* error messages read like bash's own (``bash: foo: command not found``).

Budgets: a per-command timeout and an optional no-output timeout interrupt the command (Ctrl-C,
then SIGKILL to the terminal's foreground process group, then a restart of the shell if the
shell itself is stuck); output is capped, keeping its head and tail with a marker that says how
many bytes were cut; bytes that are not UTF-8 are replaced, never raised on.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import select
import signal
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass

import pexpect
from pexpect.fdpexpect import fdspawn

SHELL_ARGV = ["/bin/bash", "--noediting", "--noprofile", "--norc", "-i"]
DEFAULT_MAX_OUTPUT_BYTES = 32 * 1024
_CHUNK = 2048  # characters of quoted command per terminal line (well under 4095)
_READ_SIZE = 1 << 16


class ShellError(RuntimeError):
    """The shell could not be started or stopped answering."""


@dataclass
class CommandResult:
    """What one command did. ``exit_code`` is None when it was cut off or the shell died."""

    output: str
    exit_code: int | None
    duration: float
    timed_out: bool = False
    cutoff: str | None = None  # "timeout" | "no_output" | "shell_exited"
    output_bytes: int = 0
    truncated_bytes: int = 0
    shell_restarted: bool = False


def quote_ansi_c(text: str) -> str:
    """Quote ``text`` as bash ``$'...'`` content using printable ASCII only."""
    out = []
    for byte in text.encode("utf-8", errors="surrogateescape"):
        char = chr(byte)
        if char in "\\'":
            out.append("\\" + char)
        elif 0x20 <= byte < 0x7F:
            out.append(char)
        else:
            out.append(f"\\x{byte:02x}")
    return "".join(out)


def _split_quoted(quoted: str, size: int) -> list[str]:
    """Split quoted text into chunks without cutting an escape sequence in two."""
    chunks, start = [], 0
    while start < len(quoted):
        end = min(start + size, len(quoted))
        while end < len(quoted) and _inside_escape(quoted, start, end):
            end -= 1
        chunks.append(quoted[start:end])
        start = end
    return chunks or [""]


def _inside_escape(quoted: str, start: int, end: int) -> bool:
    """True when cutting at ``end`` would split a backslash escape."""
    # Find the last backslash run before `end` and check whether its escape spans `end`.
    i = end - 1
    while i >= start and end - i <= 4:
        if quoted[i] == "\\":
            backslashes = 0
            j = i
            while j >= start and quoted[j] == "\\":
                backslashes += 1
                j -= 1
            if backslashes % 2 == 1:  # quoted[i] starts an escape
                length = 4 if i + 1 < len(quoted) and quoted[i + 1] == "x" else 2
                return i + length > end
            return False
        i -= 1
    return False


class OutputCapture:
    """Keeps the first and last ``limit/2`` bytes of a stream and counts what it drops."""

    def __init__(self, limit: int, keep_tail: int) -> None:
        self.head_limit = limit // 2
        self.tail_limit = max(limit - self.head_limit, keep_tail)
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0
        self.dropped = 0

    def add(self, data: bytes) -> None:
        self.total += len(data)
        room = self.head_limit - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        self.tail += data
        excess = len(self.tail) - self.tail_limit
        if excess > 0:
            del self.tail[:excess]
            self.dropped += excess

    def view(self) -> bytes:
        """The bytes a marker can be found in: all of them, or the tail once some were cut."""
        return bytes(self.tail) if self.dropped else bytes(self.head + self.tail)


def quiet_terminal() -> None:
    """In the child, before exec: no echo of our input, no CR added before LF.

    Doing it here spares an ``stty`` process at every shell start.
    """
    attrs = termios.tcgetattr(0)
    attrs[1] &= ~termios.ONLCR  # oflag
    attrs[3] &= ~(termios.ECHO | termios.ECHONL)  # lflag
    termios.tcsetattr(0, termios.TCSANOW, attrs)


def decode_output(data: bytes) -> str:
    """Terminal bytes to text: invalid UTF-8 replaced, CRLF folded."""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n")


class ShellSession:
    """An interactive bash behind a pty, started by ``spawn`` (which returns a pexpect child).

    ``spawn`` decides where bash runs (a bubblewrap sandbox, a docker exec, the bare host), so
    this class is the same for every sandbox backend.
    """

    def __init__(
        self,
        spawn: Callable[[], pexpect.spawn | fdspawn],
        *,
        startup_timeout: float = 10.0,
        interrupt_grace: float = 0.5,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT_BYTES,
    ) -> None:
        self._spawn = spawn
        self.startup_timeout = startup_timeout
        self.interrupt_grace = interrupt_grace
        self.max_output_bytes = max_output_bytes
        self.child: pexpect.spawn | fdspawn | None = None
        self._nonce = secrets.token_hex(8)
        self._marker = re.compile(rb"\x1eTG" + self._nonce.encode() + rb":(\d+):(\d+)\x1e")
        self._seq = 0
        self._shell_pgrp: int | None = None
        self._starting = False
        self.restarts = 0

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Start bash and wait until it answers (the caller's reset latency lives here)."""
        self._starting = True
        try:
            self._start()
        finally:
            self._starting = False

    def _start(self) -> None:
        self.child = self._spawn()
        self.child.delaybeforesend = None  # pexpect's 50 ms default would dominate each step
        setup = (
            "set +o history; unset HISTFILE; "
            "PS1=''; PS2=''; PS0=''; unset PROMPT_COMMAND; "
            '__tg_rc=0; __tg_status() { return "$__tg_rc"; }; '
            "__tg_done() { __tg_rc=$2; unset __tg_c; "
            f'printf \'\\036TG{self._nonce}:%s:%s\\036\' "$1" "$2"; return "$2"; }}'
        )
        self._seq += 1
        self._write(f"{setup}; __tg_done {self._seq} $?\n")
        result = self._collect(self._seq, timeout=self.startup_timeout, idle=None)
        if result.exit_code is None:
            self.close()
            raise ShellError(f"shell did not start: {result.output[-2000:]!r}")
        try:
            self._shell_pgrp = os.tcgetpgrp(self.child.child_fd)
        except OSError:  # not a terminal we can inspect (e.g. a socket)
            self._shell_pgrp = None

    def alive(self) -> bool:
        return self.child is not None and self.child.isalive()

    def close(self) -> None:
        child, self.child = self.child, None
        if child is None:
            return
        # SIGKILL and reap it ourselves: pexpect's own close sends SIGHUP, sleeps 100 ms, and
        # when the child is not gone yet gives up without waiting for it (a zombie is left).
        pid = getattr(child, "pid", None)
        ptyproc = getattr(child, "ptyproc", None)
        if ptyproc is not None:
            # ptyprocess sleeps ``delayafterclose`` (100 ms) after closing the pty, and
            # ``delayafterterminate`` between signals, "to give the kernel time": we reaped
            # the child ourselves, so both are pure waiting (on every reset's path).
            ptyproc.delayafterclose = 0
            ptyproc.delayafterterminate = 0
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            if ptyproc is not None:
                ptyproc.terminated = True
        with contextlib.suppress(Exception):
            child.close()

    def restart(self) -> None:
        self.close()
        self.restarts += 1
        self.start()

    # -- commands --------------------------------------------------------------------------
    def run(
        self,
        command: str,
        timeout: float = 120.0,
        no_output_timeout: float | None = None,
        max_output_bytes: int | None = None,
    ) -> CommandResult:
        """Run ``command`` in the session and return its output and exit code."""
        if self.child is None:
            raise ShellError("session is not started")
        if not self.alive():
            self.restart()
        self._seq += 1
        quoted = _split_quoted(quote_ansi_c(command), _CHUNK)
        lines = [f"__tg_c=$'{quoted[0]}'"] + [f"__tg_c+=$'{c}'" for c in quoted[1:]]
        lines[-1] += f'; __tg_status; eval "$__tg_c"; __tg_done {self._seq} $?'
        try:
            self._write("\n".join(lines) + "\n")
        except OSError:
            return self._shell_died(time.monotonic(), OutputCapture(0, 0))
        return self._collect(
            self._seq, timeout=timeout, idle=no_output_timeout, limit=max_output_bytes
        )

    def _write(self, text: str) -> None:
        assert self.child is not None
        data = text.encode("ascii")
        fd = self.child.child_fd
        while data:
            written = os.write(fd, data)
            data = data[written:]

    def _collect(
        self, seq: int, timeout: float, idle: float | None, limit: int | None = None
    ) -> CommandResult:
        """Read until the marker for ``seq``, applying the timeouts and the output cap."""
        assert self.child is not None
        start = time.monotonic()
        capture = OutputCapture(limit or self.max_output_bytes, keep_tail=128)
        fd = self.child.child_fd
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        last_output = start
        while True:
            now = time.monotonic()
            deadline = start + timeout
            if idle is not None:
                deadline = min(deadline, last_output + idle)
            if now >= deadline:
                reason = "timeout" if now >= start + timeout else "no_output"
                return self._interrupt(seq, capture, start, reason)
            if not poller.poll(max(0.0, deadline - now) * 1000):
                continue
            try:
                data = os.read(fd, _READ_SIZE)
            except OSError:
                data = b""
            if not data:
                return self._shell_died(start, capture)
            last_output = time.monotonic()
            capture.add(data)
            match = self._find_marker(capture, seq)
            if match is not None:
                return self._result(capture, match, start)

    def _find_marker(self, capture: OutputCapture, seq: int) -> re.Match[bytes] | None:
        for match in self._marker.finditer(capture.view()):
            if int(match.group(1)) == seq:
                return match
        return None

    def _result(
        self,
        capture: OutputCapture,
        match: re.Match[bytes] | None,
        start: float,
        cutoff: str | None = None,
    ) -> CommandResult:
        """Build the result; markers (this one and stale ones) never reach the output."""
        if capture.dropped:
            text = (
                decode_output(self._marker.sub(b"", bytes(capture.head)))
                + f"\n[... {capture.dropped} bytes of output truncated ...]\n"
                + decode_output(self._marker.sub(b"", bytes(capture.tail)))
            )
        else:
            text = decode_output(self._marker.sub(b"", bytes(capture.head + capture.tail)))
        marker_len = (match.end() - match.start()) if match else 0
        return CommandResult(
            output=text,
            exit_code=int(match.group(2)) if match and not cutoff else None,
            duration=time.monotonic() - start,
            timed_out=cutoff in ("timeout", "no_output"),
            cutoff=cutoff,
            output_bytes=max(0, capture.total - marker_len),
            truncated_bytes=capture.dropped,
        )

    def _wait_marker(self, seq: int, capture: OutputCapture, wait: float) -> re.Match[bytes] | None:
        assert self.child is not None
        end = time.monotonic() + wait
        fd = self.child.child_fd
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                break
            try:
                data = os.read(fd, _READ_SIZE)
            except OSError:
                return None
            if not data:
                return None
            capture.add(data)
            match = self._find_marker(capture, seq)
            if match is not None:
                return match
        return None

    def _foreground_is_shell(self) -> bool:
        """Whether bash is back at its prompt. Channels without a visible terminal (a docker
        exec socket) cannot tell: then we assume Ctrl-C worked and ask for the marker."""
        assert self.child is not None
        if self._shell_pgrp is None:
            return True
        try:
            return os.tcgetpgrp(self.child.child_fd) == self._shell_pgrp
        except OSError:
            return False

    def _interrupt(
        self, seq: int, capture: OutputCapture, start: float, reason: str
    ) -> CommandResult:
        """Stop a command that ran too long: Ctrl-C, then SIGKILL, then restart the shell."""
        assert self.child is not None
        with contextlib.suppress(OSError):
            self._write("\x03")
        match = self._wait_marker(seq, capture, self.interrupt_grace)
        if match is None and not self._foreground_is_shell():
            with contextlib.suppress(OSError, ProcessLookupError):
                os.killpg(os.tcgetpgrp(self.child.child_fd), signal.SIGKILL)
            deadline = time.monotonic() + self.interrupt_grace
            while not self._foreground_is_shell() and time.monotonic() < deadline:
                time.sleep(0.005)
        if match is None and self._foreground_is_shell():
            # Bash dropped the rest of the interrupted line: ask for the marker again.
            with contextlib.suppress(OSError):
                self._write(f"__tg_done {seq} $?\n")
            match = self._wait_marker(seq, capture, self.interrupt_grace)
        result = self._result(capture, match, start, cutoff=reason)
        if match is None:  # the shell itself is stuck (e.g. a builtin loop ignoring SIGINT)
            self.restart()
            result.shell_restarted = True
        return result

    def _shell_died(self, start: float, capture: OutputCapture) -> CommandResult:
        result = self._result(capture, None, start, cutoff="shell_exited")
        if self._starting:
            raise ShellError(f"shell exited while starting: {result.output[-2000:]!r}")
        self.restart()
        result.shell_restarted = True
        return result
