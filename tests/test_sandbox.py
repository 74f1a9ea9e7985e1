"""Bubblewrap sandbox isolation, limits, copy-on-write and cleanup, checked from the host."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from toolgym.dockerfile import DockerfileError
from toolgym.sandbox import ResourceLimits
from toolgym.task import load_task


@pytest.fixture
def sandbox(backend, make_task):
    template = backend.prepare(load_task(make_task()))
    box = backend.create(template, ResourceLimits(max_processes=64, memory_mb=512))
    yield box
    box.close()


def run(box, command: str, timeout: float = 10.0) -> str:
    result = box.open_shell().run(command, timeout=timeout)
    return result.output


def test_cannot_read_host_files(sandbox, tmp_path):
    secret = tmp_path / "host-secret.txt"
    secret.write_text("TOPSECRET-" + uuid.uuid4().hex)
    out = run(sandbox, f"cat {secret} 2>&1; cat /etc/shadow /etc/ssh/* 2>&1")
    assert "TOPSECRET" not in out and "No such file" in out
    assert "root:" not in out and "PRIVATE KEY" not in out
    listing = run(sandbox, "ls -A /root /home /tmp /var/tmp /opt /srv; ls /work 2>&1")
    assert listing.split("\n")[:-2] == [
        "/home:",
        "",
        "/opt:",
        "",
        "/root:",
        "",
        "/srv:",
        "",
        "/tmp:",
        "",
        "/var/tmp:",
    ]
    assert "No such file" in listing


def test_cannot_write_the_host(sandbox, tmp_path):
    target = tmp_path / "written-by-sandbox"
    out = run(
        sandbox,
        f"mkdir -p {tmp_path} && echo pwned > {target} && cat {target}; "
        "echo x > /usr/bin/toolgym-probe && echo x > /etc/toolgym-probe && "
        "ls /usr/bin/toolgym-probe /etc/toolgym-probe",
    )
    assert "pwned" in out, "the write succeeds inside the sandbox's own copy"
    assert not target.exists()
    assert not Path("/usr/bin/toolgym-probe").exists()
    assert not Path("/etc/toolgym-probe").exists()


def test_cannot_reach_a_server_on_host_loopback(sandbox):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    accepted: list[object] = []

    def accept() -> None:
        server.settimeout(3)
        with contextlib.suppress(OSError):
            accepted.append(server.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    out = run(
        sandbox,
        f"timeout 2 bash -c 'echo hi > /dev/tcp/127.0.0.1/{port}' && echo CONNECTED"
        " || echo REFUSED; ip -o link 2>/dev/null | wc -l",
    )
    thread.join()
    server.close()
    assert "REFUSED" in out and "CONNECTED" not in out
    assert not accepted
    assert out.split()[-1] in ("0", "1"), "only the loopback interface exists"


def test_cannot_see_or_signal_host_processes(sandbox):
    marker = f"toolgym-host-{uuid.uuid4().hex[:8]}"
    host = subprocess.Popen(["bash", "-c", f"exec -a {marker} sleep 60"])
    try:
        out = run(sandbox, "ps -eo pid,args; ls /proc | grep -c '^[0-9]'")
        assert marker not in out
        assert int(out.split()[-1]) < 10, out
        run(sandbox, f"kill -9 {host.pid} 2>&1")
        assert host.poll() is None, "a host pid is not signalable from inside"
    finally:
        host.kill()
        host.wait()


def test_environment_is_scrubbed(sandbox, monkeypatch):
    out = run(sandbox, "env; cat /proc/1/environ | tr '\\0' '\\n'")
    assert "PYTEST_CURRENT_TEST" not in out and "VIRTUAL_ENV" not in out
    assert "HOME=/root" in out and "TERM=dumb" in out


def test_workdir_user_and_hostname(sandbox):
    assert run(sandbox, "pwd; id -u; hostname") == "/app\n0\nsandbox\n"


def test_fork_bomb_is_contained(sandbox):
    shell = sandbox.open_shell()
    result = shell.run("bomb() { bomb | bomb & }; bomb; sleep 1; echo survived", timeout=4)
    assert result.cutoff in (None, "timeout")
    if sandbox.cgroup is not None and "pids" in sandbox.cgroup.dirs:
        pids = sandbox.cgroup.dirs["pids"]
        assert int((pids / "pids.current").read_text()) <= 64
        assert int((pids / "pids.events").read_text().split()[-1]) > 0, "the limit was hit"
    sandbox.stop()  # kills the bomb; the next shell starts clean
    assert sandbox.open_shell().run("echo ok").output == "ok\n"


def test_memory_limit(sandbox):
    result = sandbox.open_shell().run(
        "python3 -c 'b = bytearray(1024 * 1024 * 1024); print(len(b))'; echo rc=$?", timeout=30
    )
    assert "1073741824" not in result.output
    assert "rc=0" not in result.output


def test_file_size_limit(backend, make_task):
    box = backend.create(backend.prepare(load_task(make_task())), ResourceLimits(max_file_mb=1))
    try:
        out = run(box, "head -c 3000000 /dev/zero > /tmp/big; echo rc=$?; stat -c %s /tmp/big")
        assert "rc=0" not in out and out.split()[-1] == str(1024 * 1024)
    finally:
        box.close()


def test_episodes_are_isolated_copy_on_write(backend, make_task):
    template = backend.prepare(
        load_task(
            make_task(
                dockerfile="FROM debian:12\nWORKDIR /app\nCOPY data.txt .\n",
                context={"data.txt": "v1\n"},
            )
        )
    )
    first = backend.create(template)
    assert (
        run(first, "cat data.txt; echo v2 > data.txt; echo new > /app/new.txt; cat data.txt")
        == "v1\nv2\n"
    )
    first.close()
    second = backend.create(template)
    try:
        assert run(second, "cat data.txt; ls /app") == "v1\ndata.txt\n"
    finally:
        second.close()


def test_everything_is_killed_at_close_and_nothing_left(backend, make_task):
    box = backend.create(backend.prepare(load_task(make_task())))
    marker = f"tgdaemon{uuid.uuid4().hex[:8]}"
    run(
        box,
        f"setsid nohup bash -c 'exec -a {marker} sleep 600' >/dev/null 2>&1 & disown; sleep 0.2",
    )
    assert marker in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    sandbox_dir = box.dir
    box.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        if marker not in ps:
            break
        time.sleep(0.05)
    assert marker not in ps
    assert not sandbox_dir.exists()
    mounts = Path("/proc/self/mountinfo").read_text()
    assert str(sandbox_dir) not in mounts


def test_teardown_does_not_sleep_and_reaps_the_shell(backend, make_task, monkeypatch):
    """Killing a sandbox (the part of a reset that retires the old episode) and closing it
    only poll briefly: no fixed delay such as ptyprocess's 100 ms ``delayafterclose``."""
    box = backend.create(backend.prepare(load_task(make_task())))
    shell = box.open_shell()
    assert shell.child is not None
    pid = shell.child.pid
    caller = threading.get_ident()
    slept: list[float] = []
    real_sleep = time.sleep

    def recording_sleep(seconds: float) -> None:
        if threading.get_ident() == caller:
            slept.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", recording_sleep)
    box.kill()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped by kill: no zombie left behind
    box.close()
    assert max(slept, default=0.0) < 0.01, f"teardown slept: {slept}"


def test_sandbox_dies_with_its_owner(backend, make_task, tmp_path):
    """A crashed (SIGKILLed) owner process takes its sandboxes with it."""
    task_dir = make_task()
    marker = f"tgorphan{uuid.uuid4().hex[:8]}"
    script = tmp_path / "owner.py"
    script.write_text(
        "import sys, time\n"
        "from toolgym.sandbox.bwrap import BwrapBackend\n"
        "from toolgym.task import load_task\n"
        f"b = BwrapBackend(cache_dir={str(backend.cache_dir)!r})\n"
        f"box = b.create(b.prepare(load_task({str(task_dir)!r})))\n"
        f"box.open_shell().run(\"bash -c 'exec -a {marker} sleep 600' & sleep 0.1\")\n"
        "print('ready', flush=True)\n"
        "time.sleep(600)\n"
    )
    import sys

    owner = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None and owner.stdout.readline().strip() == "ready"
    assert marker in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    owner.kill()
    owner.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if (
            marker
            not in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
        ):
            break
        time.sleep(0.05)
    else:
        pytest.fail("the sandbox outlived its owner")


def test_template_build_runs_dockerfile_steps(backend, make_task):
    # Rootless, the host's /usr belongs to an unmapped uid: a task can only add files
    # elsewhere (documented); as root, /usr/local is writable copy-on-write too.
    tool_dir = "/opt/bin" if backend.rootless else "/usr/local/bin"
    dockerfile = f"""\
        FROM ubuntu:24.04
        RUN apt-get update && apt-get install -y git && rm -rf /var/lib/apt/lists/*
        ENV GREETING=hello PATH=/opt/bin:$PATH
        WORKDIR /srv/work
        COPY tool.sh {tool_dir}/tool
        RUN chmod +x {tool_dir}/tool && mkdir -p /testbed && echo $GREETING > /testbed/g
        """
    task = load_task(make_task(dockerfile=dockerfile, context={"tool.sh": "#!/bin/sh\necho ran\n"}))
    template = backend.prepare(task)
    assert template.workdir == "/srv/work" and template.env["GREETING"] == "hello"
    assert any("satisfied by the host" in note for note in template.notes)
    box = backend.create(template)
    try:
        out = run(box, "pwd; tool; cat /testbed/g; echo $GREETING")
        assert out == "/srv/work\nran\nhello\nhello\n"
    finally:
        box.close()
    assert not Path(tool_dir, "tool").exists()
    again = backend.prepare(task)
    assert again.cached and again.key == template.key


def test_failing_build_step_names_the_line(backend, make_task):
    with pytest.raises(DockerfileError, match=r"(?s)Dockerfile:3: .*exit code 7.*boom"):
        backend.prepare(
            load_task(
                make_task(dockerfile="FROM debian:12\nWORKDIR /app\nRUN echo boom && exit 7\n")
            )
        )


def test_build_has_no_network(backend, make_task):
    with pytest.raises(DockerfileError, match="Dockerfile:2"):
        backend.prepare(
            load_task(
                make_task(
                    dockerfile=(
                        'FROM debian:12\nRUN python3 -c "import socket; socket.create_connection(('
                        "'1.1.1.1', 53), timeout=2)\"\n"
                    )
                )
            )
        )


def test_runtime_dirs_of_dead_processes_are_swept(backend):
    ghost = backend.cache_dir / "run" / "999999999"
    (ghost / "x").mkdir(parents=True)
    from toolgym.sandbox.bwrap import _sweep_dead_runtimes

    _sweep_dead_runtimes(backend.cache_dir / "run")
    assert not ghost.exists()
    assert backend.runtime_dir.exists(), "a live process's runtime dir is kept"
    assert os.getpid() == int(backend.runtime_dir.name)


def test_tasks_can_add_users_and_change_owners(sandbox, backend):
    if backend.rootless:
        pytest.skip("rootless sandboxes map only the caller's uid (to root)")
    out = run(
        sandbox,
        "useradd -m alice && su alice -c 'id -u; touch /home/alice/f' && "
        "chown 1234:55 /app && stat -c '%u %g' /app /home/alice/f",
    )
    assert out.splitlines() == ["1001", "1234 55", "1001 1001"]
    upper = sandbox.layers.upper("root") / "app"
    assert upper.stat().st_uid == 1_000_000_000 + 1234, "sandbox uids map to unused host uids"
