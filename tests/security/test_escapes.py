"""Escape and abuse attempts, each run as agent commands in a real ShellEnv episode.

After each attack the host is checked: its files, processes and network are untouched, the
environment is still usable (or the episode ended cleanly with a reason), and no process of
the sandbox is left once the environment is closed.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from toolgym.envs import ShellEnv

from toolgym.sandbox import ResourceLimits

SUBMIT = '<tool_call>{"name": "submit", "arguments": {}}</tool_call>'


def bash(command: str, timeout: int | None = None) -> str:
    arguments: dict[str, object] = {"command": command}
    if timeout:
        arguments["timeout"] = timeout
    return "<tool_call>" + json.dumps({"name": "bash", "arguments": arguments}) + "</tool_call>"


def host_processes() -> str:
    return subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout


class Episode:
    """A ShellEnv episode plus the checks every attack ends with."""

    def __init__(self, backend, task: Path, **options: object) -> None:
        self.env = ShellEnv(task, backend=backend, prewarm=False, **options)
        self.env.reset()
        self.marker = f"tgmark{uuid.uuid4().hex[:10]}"

    def run(self, command: str, timeout: int | None = None) -> tuple[str, dict]:
        out, _reward, terminated, _truncated, info = self.env.step(bash(command, timeout))
        assert not terminated
        return out, info

    def still_usable(self) -> None:
        out, _info = self.run("echo still-$((6 * 7))", timeout=20)
        assert "still-42" in out

    def close_and_check_nothing_left(self) -> None:
        self.env.close()
        deadline = time.monotonic() + 10
        while self.marker in host_processes() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.marker not in host_processes(), "a sandbox process outlived the episode"


@pytest.fixture
def episode(backend, make_task):
    made: list[Episode] = []

    def start(**options: object) -> Episode:
        made.append(Episode(backend, make_task(f"t{len(made)}"), **options))
        return made[-1]

    yield start
    for item in made:
        item.close_and_check_nothing_left()


# -- the host's files -----------------------------------------------------------------------------


def test_read_a_secret_planted_on_the_host(episode, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("HOSTSECRET-" + uuid.uuid4().hex)
    ep = episode()
    out, _ = ep.run(
        f"cat {secret}; cat /proc/1/root{secret}; find / -xdev -name secret.txt "
        "2>/dev/null | head; grep -rs HOSTSECRET /tmp /root /home /app /opt /srv /var | head -1;"
        "true"
    )
    assert "HOSTSECRET" not in out
    ep.still_usable()


def test_read_host_system_secrets(episode):
    ep = episode()
    out, _ = ep.run("cat /etc/shadow /etc/gshadow; ls /etc/ssh; cat /root/.ssh/* /home/*/.ssh/*")
    assert out.count("No such file") >= 3 and "root:" not in out


def test_write_host_paths(episode, tmp_path):
    ep = episode()
    ep.run(
        f"mkdir -p {tmp_path}; echo owned > {tmp_path}/owned; echo owned > /usr/bin/owned; "
        "echo owned >> /etc/hosts; echo owned > /root/owned; rm -rf /usr/share/doc"
    )
    assert not (tmp_path / "owned").exists()
    assert not Path("/usr/bin/owned").exists() and not Path("/root/owned").exists()
    assert "owned" not in Path("/etc/hosts").read_text()
    assert Path("/usr/share/doc").exists()


def test_symlink_out_of_the_workspace(episode, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("original")
    ep = episode()
    ep.run(
        f"ln -s {victim} /app/link && echo changed > /app/link; ln -s / /app/root && "
        f"echo changed > /app/root{victim}; ls -la /app"
    )
    assert victim.read_text() == "original"


def test_device_nodes(episode):
    ep = episode()
    out, _ = ep.run(
        "mknod /tmp/disk b 8 0; ls /dev; head -c 16 /dev/mem; head -c 16 /dev/sda; "
        "cat /dev/kmsg | head -1; true",
        timeout=10,
    )
    assert "Operation not permitted" in out
    listing = out.split("\n")
    assert not any(name in listing for name in ("sda", "vda", "mem", "kmsg", "nvme0n1"))


def test_procfs_and_sysfs_are_harmless(episode):
    ep = episode()
    before = Path("/proc/sys/kernel/hostname").read_text()
    out, _ = ep.run(
        "echo evil > /proc/sys/kernel/hostname; echo c > /proc/sysrq-trigger; "
        "ls /sys | head -3; cat /proc/1/cmdline | tr '\\0' ' '; echo; hostname evil; "
        "hostname; true"
    )
    assert Path("/proc/sys/kernel/hostname").read_text() == before
    assert "--bind" not in out and "/root/.cache" not in out, "no host paths in pid 1's cmdline"


def test_no_host_descriptor_is_inherited(episode):
    ep = episode()
    out, _ = ep.run("ls -l /proc/$$/fd /proc/1/fd 2>&1")
    assert "/root" not in out and "/work" not in out and ".cache" not in out


# -- processes ------------------------------------------------------------------------------------


def test_see_signal_and_ptrace_host_processes(episode):
    marker = f"hostproc{uuid.uuid4().hex[:8]}"
    victim = subprocess.Popen(["bash", "-c", f"exec -a {marker} sleep 120"])
    try:
        ep = episode()
        out, _ = ep.run(
            f"ps -eo args | grep -c {marker}; kill -9 {victim.pid}; "
            f'python3 -c \'import ctypes; print("ptrace", ctypes.CDLL(None).ptrace('
            f"16, {victim.pid}, 0, 0))'; true"
        )
        assert victim.poll() is None, "the host process survived"
        assert "ptrace -1" in out
        assert f"{marker}" not in out.replace(f"grep -c {marker}", "")
    finally:
        victim.kill()
        victim.wait()


def test_background_daemon_does_not_outlive_the_episode(episode):
    ep = episode()
    ep.run(
        f"setsid nohup bash -c 'exec -a {ep.marker} sleep 600' >/dev/null 2>&1 < /dev/null & "
        "disown; (trap '' HUP TERM; exec -a " + ep.marker + " sleep 600) & disown; sleep 0.3"
    )
    assert ep.marker in host_processes()
    ep.env.step(SUBMIT)  # graded, then the fixture closes and checks nothing is left


def test_kill_the_sandbox_init(episode):
    ep = episode()
    ep.run("kill -9 1; kill -9 -1; sleep 1; echo after", timeout=10)
    ep.still_usable()


# -- the network ----------------------------------------------------------------------------------


def test_reach_a_tcp_server_on_host_loopback(episode):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    got: list[object] = []

    def accept() -> None:
        server.settimeout(3)
        with contextlib.suppress(OSError):
            got.append(server.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    ep = episode()
    out, _ = ep.run(
        f"timeout 2 bash -c 'echo x > /dev/tcp/127.0.0.1/{port}' && echo OPEN || "
        "echo CLOSED; getent hosts example.com || echo NODNS; ip route 2>&1 | head -2"
    )
    thread.join()
    server.close()
    assert "CLOSED" in out and "NODNS" in out and not got


def test_reach_an_abstract_unix_socket_on_the_host(episode):
    name = f"\0toolgym-test-{uuid.uuid4().hex[:8]}"
    server = socket.socket(socket.AF_UNIX)
    server.bind(name)
    server.listen()
    try:
        ep = episode()
        out, _ = ep.run(
            'python3 -c "import socket; s = socket.socket(socket.AF_UNIX); '
            f"s.connect('\\0{name[1:]}'); print('CONNECTED')\" 2>&1 | tail -1"
        )
        assert "CONNECTED" not in out and "refused" in out.lower()
    finally:
        server.close()


def test_reach_another_episodes_sandbox(episode):
    first, second = episode(), episode()
    first.run(
        "python3 -m http.server 8765 --bind 127.0.0.1 >/dev/null 2>&1 & "
        "echo secret > /tmp/first.txt; sleep 1"
    )
    out, _ = second.run(
        "timeout 2 bash -c 'echo > /dev/tcp/127.0.0.1/8765' && echo OPEN || "
        "echo CLOSED; cat /tmp/first.txt; ps -eo args | grep -c http.server"
    )
    assert "CLOSED" in out and "No such file" in out
    reach, _ = first.run("timeout 2 bash -c 'echo > /dev/tcp/127.0.0.1/8765' && echo OPEN")
    assert "OPEN" in reach, "the server itself is up"


# -- resources ------------------------------------------------------------------------------------


def test_fork_bomb(episode):
    ep = episode()
    _out, info = ep.run(":(){ :|:& };:", timeout=5)
    assert info["tool_results"][0].get("meta", {}).get("cutoff") in (
        None,
        "timeout",
        "shell_exited",
    )
    ep.env.sandbox.stop()  # what reset/close do: every bomb process is killed
    ep.still_usable()


def test_memory_bomb(episode):
    ep = episode()
    out, _ = ep.run(
        "python3 -c 'x = bytearray(8 * 1024 ** 3)' 2>&1; echo rc=$?; "
        "head -c 6000M /dev/zero | tail > /dev/null; echo rc2=$?",
        timeout=60,
    )
    assert "rc=0" not in out
    ep.still_usable()


def test_disk_fill_stops_at_the_storage_limit(backend, make_task):
    if backend.rootless:
        pytest.skip("rootless sandboxes have no storage limit")
    env = ShellEnv(make_task(), backend=backend, prewarm=False)
    env.limits = lambda: ResourceLimits(storage_mb=64)  # type: ignore[method-assign]
    free_before = shutil.disk_usage(backend.cache_dir).free
    try:
        env.reset()
        out, *_ = env.step(
            bash(
                "for i in 1 2 3 4 5 6 7 8; do head -c 20M /dev/zero > /app/f$i "
                "|| echo FULL; done; du -sm /app | cut -f1"
            )
        )
        assert "FULL" in out and "No space left" in out
        assert int(out.split("\n")[-2]) <= 64
        assert shutil.disk_usage(backend.cache_dir).free > free_before - 32 * 2**20
        out, *_ = env.step(bash("rm /app/f*; echo recovered > /app/ok; cat /app/ok"))
        assert "recovered" in out
    finally:
        env.close()


def test_huge_single_line_and_endless_output(episode):
    ep = episode(max_output_bytes=10_000)
    out, _ = ep.run("head -c 50000000 /dev/zero | tr '\\0' x", timeout=30)
    assert len(out) < 11_000 and "bytes of output truncated" in out
    out, _ = ep.run("yes toolgym", timeout=2)
    assert len(out) < 11_000 and "timed out" in out
    ep.still_usable()


def test_sleeping_past_the_timeouts(episode):
    ep = episode(command_timeout=1.0)
    start = time.monotonic()
    out, _ = ep.run("sleep 100")
    assert time.monotonic() - start < 10 and "timed out after 1s" in out
    ep.still_usable()


def test_file_descriptor_exhaustion(episode):
    ep = episode()
    out, _ = ep.run(
        'python3 -c "import os\nfds = []\ntry:\n    while True: fds.append(os.open('
        "'/dev/null', os.O_RDONLY))\nexcept OSError as e: print('stopped at', "
        'len(fds), e.errno)"'
    )
    assert "stopped at" in out
    ep.still_usable()


# -- privileges -----------------------------------------------------------------------------------


def test_setuid_and_capability_tricks(episode):
    ep = episode()
    out, _ = ep.run(
        "grep CapEff /proc/self/status; cp /bin/bash /tmp/rootbash && chmod u+s /tmp/rootbash; "
        "useradd -m mallory; su mallory -c '/tmp/rootbash -p -c id'; "
        "mount -t tmpfs none /mnt 2>&1; unshare -m true 2>&1; unshare -U true 2>&1; "
        'python3 -c \'import ctypes; print("init_module", '
        "ctypes.CDLL(None).syscall(175, 0, 0, 0))'; date -s '2001-01-01' 2>&1; "
        "python3 -c 'import ctypes; print(\"reboot\", ctypes.CDLL(None).reboot(0x4321fedc))'; "
        "true"
    )
    cap_eff = int(next(line for line in out.splitlines() if "CapEff" in line).split()[-1], 16)
    cap_sys_admin, cap_sys_module, cap_sys_time, cap_sys_boot = 21, 16, 25, 22
    for cap in (cap_sys_admin, cap_sys_module, cap_sys_time, cap_sys_boot):
        assert not cap_eff & (1 << cap)
    assert "init_module -1" in out and "reboot -1" in out
    assert out.count("Operation not permitted") + out.count("No space left") >= 3
    assert time.time() > 1.7e9, "the host clock is untouched"


def test_reading_tests_and_solution_before_grading(episode):
    ep = episode()
    out, _ = ep.run(
        "ls /tests /solution /logs 2>&1; find / -name solve.sh -o -name test.sh "
        "2>/dev/null | grep -v '^/proc' | head"
    )
    assert out.count("No such file") == 3 and "solve.sh" not in out.split("[exit")[0].replace(
        "-name solve.sh", ""
    )


def test_changing_the_environment_the_verifier_uses(backend, make_task):
    env = ShellEnv(
        make_task(
            test='[ -z "$EVIL" ] && [ "$PATH" != /evil ] && '
            "[ ! -e /tmp/rcran ] && echo 1 > /logs/verifier/reward.txt || "
            "echo 0 > /logs/verifier/reward.txt\n"
        ),
        backend=backend,
    )
    try:
        env.reset()
        env.step(
            bash(
                "export EVIL=1 PATH=/evil:$PATH; echo 'export EVIL=1; touch /tmp/rcran' | "
                "tee -a /root/.bashrc /etc/bash.bashrc /etc/profile >/dev/null; "
                "echo 'EVIL=1' >> /etc/environment; echo 'BASH_ENV=/root/.bashrc' >> "
                "/etc/environment; rm -f /tmp/rcran"
            )
        )
        _, reward, *_ = env.step(SUBMIT)
        assert reward == 1.0, "the verifier runs in its own clean environment"
    finally:
        env.close()


def test_symlinks_the_verifier_writes_through(backend, make_task):
    """The agent points paths the verifier writes at the reward file: the reward stays 0."""
    env = ShellEnv(
        make_task(
            test=(
                "echo 1 > /tmp/scratch.txt; echo 1 > /app/result.txt; "
                '[ "$(cat /app/out.txt 2>/dev/null)" = hello ] && r=1 || r=0; '
                "echo $r > /logs/verifier/reward.txt\n"
            )
        ),
        backend=backend,
    )
    try:
        env.reset()
        env.step(
            bash(
                "mkdir -p /logs/verifier; for f in /tmp/scratch.txt /app/result.txt; do "
                "ln -sf /logs/verifier/reward.txt $f; done; ln -sfn /logs/verifier /tmp/v"
            )
        )
        _, reward, *_ = env.step(SUBMIT)
        assert reward == 0.0
    finally:
        env.close()


def test_host_sockets_and_cgroups_are_out_of_reach(episode):
    ep = episode()
    out, _ = ep.run(
        "ls /var/run/docker.sock /run/containerd /run/systemd /sys/fs/cgroup 2>&1; "
        "mount -t cgroup2 none /mnt 2>&1; mount -t proc none /mnt 2>&1; true"
    )
    assert out.count("No such file") >= 3
    assert out.count("Operation not permitted") + out.count("permission denied") >= 2


def test_keyring_and_bpf_are_refused(episode):
    ep = episode()
    out, _ = ep.run(
        "python3 -c 'import ctypes; libc = ctypes.CDLL(None); "
        'print("bpf", libc.syscall(321, 0, 0, 0)); '
        'print("perf", libc.syscall(298, 0, 0, -1, -1, 0))\''
    )
    assert "bpf -1" in out and "perf -1" in out
