"""Copy-on-write filesystems for sandboxes: overlayfs mounted in a private mount namespace.

Debian's bubblewrap (0.8) cannot mount overlays itself, so the child process that will exec
``bwrap`` first unshares a mount namespace (and, without root, a user namespace), mounts the
overlays there and then execs. The mounts exist only in that namespace: they disappear with the
sandbox's last process, so a crash leaks no mount on the host, and nothing else sees them.

Everything here runs between ``fork`` and ``exec`` (a ``preexec_fn``), so it uses raw syscalls
through ctypes and raises ``OSError`` with the path at fault.
"""

from __future__ import annotations

import ctypes
import os
from dataclasses import dataclass

from toolgym.forking import fork_safely

_libc = ctypes.CDLL(None, use_errno=True)
_libc.mount.argtypes = [
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_char_p,
    ctypes.c_ulong,
    ctypes.c_char_p,
]

_libc.umount2.argtypes = [ctypes.c_char_p, ctypes.c_int]

CLONE_NEWNS = 0x00020000
MNT_DETACH = 2
CLONE_NEWUSER = 0x10000000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18


@dataclass(frozen=True)
class Overlay:
    """One overlayfs mount: read-only ``lowers`` (top first) under a writable ``upper``."""

    target: str
    lowers: tuple[str, ...]
    upper: str | None = None
    work: str | None = None

    def options(self, userxattr: bool) -> str:
        for path in (*self.lowers, self.upper or "", self.work or ""):
            if any(c in path for c in ",:\\"):
                raise ValueError(f"overlay path may not contain ',', ':' or '\\': {path}")
        opts = "lowerdir=" + ":".join(self.lowers)
        if self.upper:
            opts += f",upperdir={self.upper},workdir={self.work}"
        if userxattr:
            opts += ",userxattr"
        return opts


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None):
    _check(
        _libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            flags,
            data.encode() if data else None,
        ),
        f"mount {fstype or ''} on {target}",
    )


def write_once(path: str, text: str) -> None:
    """One ``write(2)`` to an existing file (procfs and cgroupfs want exactly that)."""
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def enter_private_mounts(overlays: list[Overlay], rootless: bool) -> None:
    """Unshare a mount namespace and mount ``overlays`` in it (call in the child only).

    Rootless, a user namespace that maps the caller to root comes first: since Linux 5.11 an
    unprivileged user may mount overlayfs there (with ``userxattr``).
    """
    if rootless:
        uid, gid = os.getuid(), os.getgid()
        _check(_libc.unshare(CLONE_NEWUSER | CLONE_NEWNS), "unshare(user, mount)")
        write_once("/proc/self/setgroups", "deny")
        write_once("/proc/self/uid_map", f"0 {uid} 1")
        write_once("/proc/self/gid_map", f"0 {gid} 1")
    else:
        _check(_libc.unshare(CLONE_NEWNS), "unshare(mount)")
    _mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    for overlay in overlays:
        _mount("overlay", overlay.target, "overlay", 0, overlay.options(userxattr=rootless))


def create_user_namespace(uid_map: str, gid_map: str) -> int:
    """A new user namespace with the given id maps; returns an fd that keeps it alive.

    Only a process outside the namespace may map more than its own id (the kernel's rule),
    so a short-lived child enters the namespace and the caller, still outside, writes the
    maps. Once mapped, the child (root inside) sets the namespace's own limit of nested user
    namespaces to 0: sandboxed code can then never create one, which closes the kernel attack
    surface nested user namespaces open. bubblewrap joins it through ``--userns FD``.
    """
    ready_r, ready_w = os.pipe()
    mapped_r, mapped_w = os.pipe()
    done_r, done_w = os.pipe()
    pid = fork_safely(os.fork)
    if pid == 0:  # the child: raw syscalls only, then _exit
        status = 1
        try:
            for fd in (ready_r, mapped_w, done_w):
                os.close(fd)
            if _libc.unshare(CLONE_NEWUSER) == 0:
                os.write(ready_w, b"u")
                os.read(mapped_r, 1)
                write_once("/proc/sys/user/max_user_namespaces", "0")
                os.write(ready_w, b"l")
                os.read(done_r, 1)
                status = 0
        finally:
            os._exit(status)
    for fd in (ready_w, mapped_r, done_r):
        os.close(fd)
    try:
        if os.read(ready_r, 1) != b"u":
            raise OSError("could not create a user namespace")
        write_once(f"/proc/{pid}/uid_map", uid_map)
        write_once(f"/proc/{pid}/gid_map", gid_map)
        os.write(mapped_w, b"m")
        if os.read(ready_r, 1) != b"l":
            raise OSError("could not limit nested user namespaces")
        return os.open(f"/proc/{pid}/ns/user", os.O_RDONLY)
    finally:
        os.write(done_w, b"x")
        for fd in (done_w, mapped_w, ready_r):
            os.close(fd)
        os.waitpid(pid, 0)


def mount_tmpfs(target: str, size_mb: int, inodes: int) -> None:
    """A size- and inode-limited tmpfs at ``target`` in the caller's mount namespace.

    Writes to it fail with ENOSPC at the limit, enforced by the kernel; its pages are charged
    to the memory cgroup of the process that writes them.
    """
    _mount("tmpfs", target, "tmpfs", 0, f"size={size_mb}m,nr_inodes={inodes},mode=0755")


def mounts_under(path: str) -> list[str]:
    """Mount points at or below ``path`` in this mount namespace, deepest first."""
    prefix = os.path.realpath(path).rstrip("/") + "/"
    found = []
    try:
        lines = open("/proc/self/mountinfo").read().splitlines()  # noqa: SIM115 - small
    except OSError:
        return found
    for line in lines:
        point = line.split()[4].replace("\\040", " ")
        if point + "/" == prefix or point.startswith(prefix):
            found.append(point)
    return sorted(found, key=len, reverse=True)


def unmount_under(path: str) -> None:
    """Detach every mount at or below ``path`` (it may still be busy for a moment)."""
    for point in mounts_under(path):
        _libc.umount2(point.encode(), MNT_DETACH)
