"""The launcher that runs inside the sandbox, before and around the untrusted program.

It is executed as `python -S -s -B -c <this source> JOB_FD READY_FD|- SECCOMP_HEX|-` inside the
isolation layers (JOB_FD 0 in Docker, where stdin is the only way in), as the unprivileged sandbox user,
so it uses nothing but the standard library (no `app` imports).

Protocol (file descriptors inherited from the host):
  JOB_FD    host -> launcher: a header line (see `read_job`), then exactly `code_len` bytes of source.
  READY_FD  launcher -> host: b"R" once the interpreter waits for a job, b"J" once it has the job,
            b"X" + one byte: the program's exit status, after its output was flushed.
  0, 1, 2   the program's stdin, stdout and stderr.
Every other descriptor is closed before the program runs; READY_FD stays open (not inherited by the
program's children) for the exit report. Writing to it cannot give a program more than `os._exit` can.

Why a launcher rather than `preexec_fn`: `preexec_fn` is unsafe in a threaded (Qt) host, and doing the
set-up here lets a pool start interpreters ahead of time and apply the per-run limits when the job comes.
"""

import os
import resource
import sys
import types

PROGRAM_NAME = "main.py"
MIB = 1024 * 1024


def install_seccomp(filter_hex):
    import ctypes

    program = bytes.fromhex(filter_hex)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS failed")
    fprog = SockFprog(len(program) // 8, program)
    if libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_SECCOMP failed")


def read_exactly(fd, size):
    chunks = []
    while size > 0:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_job(job_fd):
    """Header: `code_len cpu_s memory_mb file_size_mb open_files processes` (decimal, one line).

    Unbuffered reads: when the job comes on stdin (Docker), what follows it is the program's stdin.
    """
    line = b""
    while not line.endswith(b"\n") and len(line) < 200:
        line += read_exactly(job_fd, 1) or b"\n"
    numbers = [int(field) for field in line.split()]
    if len(numbers) != 6:
        raise SystemExit("quorum-launcher: malformed job")
    code = read_exactly(job_fd, numbers[0])
    if len(code) != numbers[0]:
        raise SystemExit("quorum-launcher: truncated job")
    if job_fd != 0:
        os.close(job_fd)
    return numbers[1:], code


def apply_limits(cpu_s, memory_mb, file_size_mb, open_files, processes):
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))  # SIGXCPU first, SIGKILL a second later
    for name, value in (
        (resource.RLIMIT_AS, memory_mb * MIB),
        (resource.RLIMIT_FSIZE, file_size_mb * MIB),
        (resource.RLIMIT_NOFILE, open_files),
        (resource.RLIMIT_NPROC, processes),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_MEMLOCK, 0),
        (resource.RLIMIT_MSGQUEUE, 0),
    ):
        resource.setrlimit(name, (value, value))


def run_program(path, code):
    """Run like `python main.py`; returns the exit status."""
    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    sys.argv = [path]
    sys.path[0] = os.path.dirname(path)
    try:
        exec(compile(code, path, "exec"), main.__dict__)
    except SystemExit as stop:
        return exit_status(stop)
    except BaseException as error:  # report like the interpreter would, minus this launcher's frame
        print_error(error, skip_frame=True)
        return 1
    return 0


def exit_status(stop):
    if stop.code is None:
        return 0
    if isinstance(stop.code, int):
        return stop.code & 0xFF
    print(stop.code, file=sys.stderr)
    return 1


def print_error(error, skip_frame=False):
    tb = error.__traceback__.tb_next if skip_frame and error.__traceback__ else error.__traceback__
    try:
        # The interpreter's own (C) printer: fast at any depth. It reads __traceback__, so set it.
        sys.__excepthook__(type(error), error.with_traceback(tb), tb)
    except BaseException:
        os.write(2, f"{type(error).__name__}\n".encode())


def finish(status, status_fd):
    """Exit as the interpreter would, without its slow module teardown (most of a trivial run's cost).

    Same order as Py_FinalizeEx: wait for non-daemon threads, run atexit callbacks, flush the streams.
    """
    try:
        threading = sys.modules.get("threading")
        if threading is not None:
            threading._shutdown()
        if "atexit" in sys.modules or hasattr(sys, "exitfunc"):
            import atexit

            atexit._run_exitfuncs()
    except SystemExit as stop:
        status = exit_status(stop)
    except BaseException as error:
        print_error(error)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            status = status or 120  # what CPython does when the final flush fails
    if status_fd is not None:
        try:  # after the flush: the host may stop reading output once this arrives
            os.write(status_fd, b"X" + bytes([status & 0xFF]))
        except OSError:
            pass
    os._exit(status)


def main():
    job_fd, ready_fd, filter_hex = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    if filter_hex != "-":
        install_seccomp(filter_hex)
    # A process's first compile() costs about a millisecond of parser set-up: pay it before the job.
    compile("def warm_up(x):\n    return [y for y in x]\n", "<warm-up>", "exec")
    if ready_fd != "-":
        os.write(int(ready_fd), b"R")
    limits, code = read_job(job_fd)
    status_fd = int(ready_fd) if ready_fd != "-" else None
    if status_fd is not None:
        os.write(status_fd, b"J")  # job taken: an exit from now on is the program's own
    os.umask(0o077)
    path = os.path.join(os.getcwd(), PROGRAM_NAME)
    with open(path, "wb") as program_file:
        program_file.write(code)
    apply_limits(*limits)
    if status_fd is None:
        os.closerange(3, 1 << 16)
    else:
        os.closerange(3, status_fd)
        os.closerange(status_fd + 1, 1 << 16)
        os.set_inheritable(status_fd, False)  # the program's own children do not get it
    sys.stdout.reconfigure(line_buffering=True)  # partial output survives a timeout kill
    finish(run_program(path, code), status_fd)


main()
