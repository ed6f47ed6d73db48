"""The sandbox's Python in a frozen bundle: `quorum-sandbox-python -c SOURCE ARGS...` acts as
`python -S -s -B -c SOURCE ARGS...`, so the launcher (and a program that starts `sys.executable`) runs
the same way as from a source checkout, on a machine without a Python of its own.

build_installer.spec makes it a second executable of the bundle, sharing the bundle's libraries, with
only the standard library in its archive. It is an executable of its own rather than a sub-command of
`quorum` because what `-S -s -B` and the sandbox's PYTHONHASHSEED=0 / PYTHONIOENCODING=utf-8 do cannot
be set at run time in a frozen interpreter (it ignores PYTHON* variables): the spec builds them in (no
site, no .pyc writes, hash seed 0, UTF-8 mode), and the GUI and gateway keep randomised hashing.

Standard library only, and nothing imported at start that `python -S` would not import: the warm pool
starts many of these, and a program sees `sys.modules` as it would under a plain interpreter.
"""

import sys

__all__ = ["main"]

_USAGE = (
    "usage: quorum-sandbox-python [-SsBIEPqbO] [-X OPT] [-W ARG] (-c SOURCE | -m MODULE | FILE) [ARG ...]\n"
)
# Flags `python` accepts that change nothing here: their effect is built in, or does not matter in a
# sandbox. subprocess._args_from_interpreter_flags() passes them on (multiprocessing's spawn does).
_BUILT_IN_FLAGS = frozenset("SsBIEPqbO")
_FLAGS_WITH_VALUE = ("-X", "-W")


def _standard_streams() -> None:
    """What PYTHONIOENCODING=utf-8 gives under `python`: UTF-8, strict, but backslashes on stderr."""
    for stream, errors in ((sys.stdin, "strict"), (sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors=errors)


def _fresh_main() -> dict[str, object]:
    """A new, empty `__main__` (this module was run as `__main__`; a program must not see it)."""
    module = type(sys)("__main__")
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module
    return module.__dict__


def _split(argv: list[str]) -> tuple[str, str, list[str]] | None:
    """(mode, target, program arguments) from the command line, as `python` reads it; None if unusable."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in ("-c", "-m"):
            if index + 1 >= len(argv):
                return None
            return arg, argv[index + 1], argv[index + 2 :]
        if arg.startswith("-") and len(arg) > 1 and set(arg[1:]) <= _BUILT_IN_FLAGS:
            index += 1
            continue
        if arg in _FLAGS_WITH_VALUE:
            index += 2
            continue
        if arg.startswith(_FLAGS_WITH_VALUE):
            index += 1
            continue
        if arg.startswith("-") and arg != "-":
            return None
        return "file", arg, argv[index + 1 :]
    return None


def main(argv: list[str]) -> int:
    parsed = _split(argv)
    if parsed is None:
        sys.stderr.write(_USAGE)
        return 2
    mode, target, rest = parsed
    _standard_streams()
    # Programs see a plain interpreter: with `sys.frozen` set, multiprocessing's spawn would start this
    # executable the PyInstaller way (`--multiprocessing-fork`) instead of with `-c`.
    sys.__dict__.pop("frozen", None)
    if mode == "-c":
        sys.argv = ["-c", *rest]
        sys.path.insert(0, "")  # `python -c` puts the current directory first; the launcher replaces it
        namespace = _fresh_main()
        exec(compile(target, "<string>", "exec"), namespace)  # noqa: S102 - this is the interpreter
        return 0
    import os
    import runpy

    if mode == "-m":
        sys.argv = [target, *rest]
        sys.path.insert(0, "")
        runpy.run_module(target, run_name="__main__", alter_sys=True)
        return 0
    sys.argv = [target, *rest]
    sys.path.insert(0, os.path.dirname(os.path.abspath(target)))  # noqa: PTH100, PTH120 - no pathlib at start
    runpy.run_path(target, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
