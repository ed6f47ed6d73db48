"""A seccomp-BPF deny list for sandboxed programs, built as raw classic-BPF bytes.

Namespaces already take away the network, other processes and the host file system; this filter removes
the kernel attack surface a generated program has no business touching (namespaces, mounts, ptrace,
keyrings, BPF, io_uring, module loading, clock changes) and any non-Unix socket. A denied call kills the
whole process with SIGSYS, which the runner reports as status `blocked`.

`clone3` gets ENOSYS instead of a kill: its flags live in memory a filter cannot read, and glibc falls
back to plain `clone`, whose flags we can check (the same trick as Docker's default profile).
Syscall numbers come from the kernel headers (`asm/unistd_64.h`, `asm-generic/unistd.h` for arm64).
"""

from __future__ import annotations

import platform
import struct

__all__ = ["build_filter", "supported"]

# linux/audit.h
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}

_DENIED = (  # noqa: SIM905 - a word list reads better than a 50-line literal
    "ptrace mount umount2 pivot_root chroot keyctl add_key request_key bpf perf_event_open userfaultfd "
    "unshare setns kexec_load kexec_file_load init_module finit_module delete_module reboot swapon swapoff "
    "acct syslog process_vm_readv process_vm_writev io_uring_setup io_uring_enter io_uring_register "
    "open_by_handle_at name_to_handle_at personality mount_setattr move_mount open_tree fsopen fsconfig "
    "fsmount fspick settimeofday clock_settime clock_adjtime adjtimex quotactl vhangup pidfd_getfd "
    "fanotify_init lookup_dcookie iopl ioperm uselib"
).split()

_SYSCALLS: dict[str, dict[str, int]] = {
    "x86_64": {
        "socket": 41,
        "clone": 56,
        "clone3": 435,
        "ptrace": 101,
        "mount": 165,
        "umount2": 166,
        "pivot_root": 155,
        "chroot": 161,
        "keyctl": 250,
        "add_key": 248,
        "request_key": 249,
        "bpf": 321,
        "perf_event_open": 298,
        "userfaultfd": 323,
        "unshare": 272,
        "setns": 308,
        "kexec_load": 246,
        "kexec_file_load": 320,
        "init_module": 175,
        "finit_module": 313,
        "delete_module": 176,
        "reboot": 169,
        "swapon": 167,
        "swapoff": 168,
        "acct": 163,
        "syslog": 103,
        "process_vm_readv": 310,
        "process_vm_writev": 311,
        "io_uring_setup": 425,
        "io_uring_enter": 426,
        "io_uring_register": 427,
        "open_by_handle_at": 304,
        "name_to_handle_at": 303,
        "personality": 135,
        "mount_setattr": 442,
        "move_mount": 429,
        "open_tree": 428,
        "fsopen": 430,
        "fsconfig": 431,
        "fsmount": 432,
        "fspick": 433,
        "settimeofday": 164,
        "clock_settime": 227,
        "clock_adjtime": 305,
        "adjtimex": 159,
        "quotactl": 179,
        "vhangup": 153,
        "pidfd_getfd": 438,
        "fanotify_init": 300,
        "lookup_dcookie": 212,
        "iopl": 172,
        "ioperm": 173,
        "uselib": 134,
    },
    "aarch64": {
        "socket": 198,
        "clone": 220,
        "clone3": 435,
        "ptrace": 117,
        "mount": 40,
        "umount2": 39,
        "pivot_root": 41,
        "chroot": 51,
        "keyctl": 219,
        "add_key": 217,
        "request_key": 218,
        "bpf": 280,
        "perf_event_open": 241,
        "userfaultfd": 282,
        "unshare": 97,
        "setns": 268,
        "kexec_load": 104,
        "kexec_file_load": 294,
        "init_module": 105,
        "finit_module": 273,
        "delete_module": 106,
        "reboot": 142,
        "swapon": 224,
        "swapoff": 225,
        "acct": 89,
        "syslog": 116,
        "process_vm_readv": 270,
        "process_vm_writev": 271,
        "io_uring_setup": 425,
        "io_uring_enter": 426,
        "io_uring_register": 427,
        "open_by_handle_at": 265,
        "name_to_handle_at": 264,
        "personality": 92,
        "mount_setattr": 442,
        "move_mount": 429,
        "open_tree": 428,
        "fsopen": 430,
        "fsconfig": 431,
        "fsmount": 432,
        "fspick": 433,
        "settimeofday": 170,
        "clock_settime": 112,
        "clock_adjtime": 266,
        "adjtimex": 171,
        "quotactl": 60,
        "vhangup": 58,
        "pidfd_getfd": 438,
        "fanotify_init": 262,
        "lookup_dcookie": 18,
    },
}

# Classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h).
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_JSET_K = 0x45
_RET_K = 0x06
_RET_KILL_PROCESS = 0x80000000
_RET_ERRNO = 0x00050000
_RET_ALLOW = 0x7FFF0000
_ENOSYS = 38
_AF_UNIX = 1
_X32_SYSCALL_BIT = 0x40000000
# CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME
_CLONE_NAMESPACE_FLAGS = (
    0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080
)

_OFFSET_NR = 0
_OFFSET_ARCH = 4
_OFFSET_ARG0_LOW = 16  # seccomp_data.args[0], low 32 bits (little-endian machines only)


class _Program:
    """A tiny assembler: instructions may jump forward to named labels."""

    def __init__(self) -> None:
        self._code: list[tuple[int, str | int, str | int, int]] = []
        self._labels: dict[str, int] = {}

    def label(self, name: str) -> None:
        self._labels[name] = len(self._code)

    def load(self, offset: int) -> None:
        self._code.append((_LD_W_ABS, 0, 0, offset))

    def jump(self, op: int, k: int, if_true: str | int = 0, if_false: str | int = 0) -> None:
        self._code.append((op, if_true, if_false, k))

    def ret(self, value: int) -> None:
        self._code.append((_RET_K, 0, 0, value))

    def assemble(self) -> bytes:
        out = bytearray()
        for index, (op, jt, jf, k) in enumerate(self._code):
            out += struct.pack("<HBBI", op, self._offset(index, jt), self._offset(index, jf), k)
        return bytes(out)

    def _offset(self, index: int, target: str | int) -> int:
        if isinstance(target, int):
            return target
        offset = self._labels[target] - index - 1
        if not 0 <= offset <= 255:
            raise ValueError(f"BPF jump to {target} out of range")
        return offset


def supported(machine: str | None = None) -> bool:
    return (machine or platform.machine()) in _SYSCALLS


def build_filter(machine: str | None = None) -> bytes:
    """The filter as `struct sock_filter[]` bytes for this (or the given) machine."""
    arch = machine or platform.machine()
    if arch not in _SYSCALLS:
        raise ValueError(f"no seccomp syscall table for {arch}")
    numbers = _SYSCALLS[arch]
    prog = _Program()
    prog.load(_OFFSET_ARCH)
    prog.jump(_JEQ_K, _AUDIT_ARCH[arch], 0, "kill")
    prog.load(_OFFSET_NR)
    if arch == "x86_64":
        prog.jump(_JGE_K, _X32_SYSCALL_BIT, "kill", 0)
    for name in _DENIED:
        if name in numbers:
            prog.jump(_JEQ_K, numbers[name], "kill", 0)
    prog.jump(_JEQ_K, numbers["socket"], "socket", 0)
    prog.jump(_JEQ_K, numbers["clone"], "clone", 0)
    prog.jump(_JEQ_K, numbers["clone3"], "enosys", 0)
    prog.ret(_RET_ALLOW)
    prog.label("socket")
    prog.load(_OFFSET_ARG0_LOW)
    prog.jump(_JEQ_K, _AF_UNIX, "allow", "kill")
    prog.label("clone")
    prog.load(_OFFSET_ARG0_LOW)
    prog.jump(_JSET_K, _CLONE_NAMESPACE_FLAGS, "kill", "allow")
    prog.label("enosys")
    prog.ret(_RET_ERRNO | _ENOSYS)
    prog.label("allow")
    prog.ret(_RET_ALLOW)
    prog.label("kill")
    prog.ret(_RET_KILL_PROCESS)
    return prog.assemble()
