"""Limits a query process sets on itself: no Internet sockets, a memory ceiling, death with its parent.

The parser check (kg.rdf.guard) decides which SERVICE calls a query may make; when none may
(KG_SERVICE_ALLOW empty, the default) a query process also forbids itself, through a seccomp
filter, to create any IPv4 or IPv6 socket, so no spelling of a query the checker misreads can
reach the network. A memory ceiling (RLIMIT_AS) turns a runaway query into an error in that
process instead of the kernel's OOM kill. Each is Linux-only and a no-op elsewhere.
"""
from __future__ import annotations

import ctypes
import logging
import os
import platform
import resource
import struct
import sys
from dataclasses import dataclass

from kg.config import Config

log = logging.getLogger(__name__)

_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_ARCH = {"x86_64": (0xC000003E, 41), "aarch64": (0xC00000B7, 198)}  # audit arch, socket(2) number
_AF_INET, _AF_INET6, _EPERM = 2, 10, 1


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def _libc():
    return ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _bpf(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _socket_filter(arch: int, socket_nr: int) -> bytes:
    """A seccomp program: socket(AF_INET | AF_INET6, ...) fails with EPERM, every other call runs."""
    ld, jeq, ret = 0x20, 0x15, 0x06
    return b"".join([
        _bpf(ld, 0, 0, 4),                         # the calling architecture
        _bpf(jeq, 0, 6, arch),                     # another one: allow
        _bpf(ld, 0, 0, 0),                         # the system call's number
        _bpf(jeq, 0, 4, socket_nr),                # not socket(2): allow
        _bpf(ld, 0, 0, 16),                        # its first argument, the address family
        _bpf(jeq, 1, 0, _AF_INET),
        _bpf(jeq, 0, 1, _AF_INET6),
        _bpf(ret, 0, 0, 0x00050000 | _EPERM),      # SECCOMP_RET_ERRNO
        _bpf(ret, 0, 0, 0x7FFF0000),               # SECCOMP_RET_ALLOW
    ])


def no_network() -> bool:
    """Forbid this process (and its threads created later) to open IPv4/IPv6 sockets. True if it holds."""
    libc, arch = _libc(), _ARCH.get(platform.machine())
    if libc is None or arch is None:
        return False
    prog = _socket_filter(*arch)
    fprog = _SockFprog(len(prog) // 8, prog)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
            libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        log.warning("cannot forbid network sockets in this query process (errno %d)", ctypes.get_errno())
        return False
    return True


def memory_ceiling(max_bytes: int) -> None:
    """At most `max_bytes` of address space for this process (0: no ceiling)."""
    if max_bytes > 0:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def resident_bytes(pid: int | None = None) -> int:
    """The resident memory of a process (this one by default); 0 when it cannot be read."""
    try:
        with open(f"/proc/{pid or 'self'}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@dataclass(frozen=True)
class Confinement:
    """What a query process may use: the network (only when SERVICE endpoints are allow-listed) and
    at most `memory_bytes` of resident memory (watched beside the engine, which cannot be asked; the
    address space, which counts what threads and allocators reserve as well, is capped at twice that
    plus 4 GiB as a backstop). 0: no ceiling."""
    network: bool = False
    memory_bytes: int = 0

    @classmethod
    def of(cls, config: Config) -> "Confinement":
        return cls(network=bool(config.service_allow.split()), memory_bytes=config.query_memory << 20)

    def apply(self) -> None:
        if not self.network:
            no_network()
        if self.memory_bytes > 0:
            memory_ceiling(2 * self.memory_bytes + (4 << 30))

    def over(self, pid: int | None = None) -> bool:
        return self.memory_bytes > 0 and resident_bytes(pid) > self.memory_bytes
