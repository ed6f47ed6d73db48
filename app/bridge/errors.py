"""No exception disappears: the event loop's exception handler, `sys.excepthook` and every task the bridge
starts report here, and the window shows what was reported (status bar, error panel).

Hooks chain to whatever was installed before (a test harness, the default hook), so installing the
reporter never hides an error from someone else who was watching.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Signal

__all__ = ["ErrorReporter", "ReportedError"]

_log = logging.getLogger("app.bridge")
ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]
LoopHandler = Callable[[asyncio.AbstractEventLoop, dict[str, Any]], object]


@dataclass(frozen=True)
class ReportedError:
    summary: str  # one line for the status bar
    details: str  # the traceback, for the error panel


class ErrorReporter(QObject):
    reported = Signal(object)  # ReportedError

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.errors: list[ReportedError] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous_loop_handler: LoopHandler | None = None
        self._previous_hook: ExceptHook | None = None

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._previous_loop_handler = loop.get_exception_handler()
        loop.set_exception_handler(self._loop_handler)
        self._previous_hook = sys.excepthook
        sys.excepthook = self._excepthook

    def uninstall(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.set_exception_handler(self._previous_loop_handler)
        self._loop = None
        if self._previous_hook is not None and sys.excepthook == self._excepthook:
            sys.excepthook = self._previous_hook
        self._previous_hook = None

    def report(self, error: BaseException, where: str = "") -> None:
        """An exception that was caught but must still be seen."""
        details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self._emit(_summary(error, where), details)

    def report_message(self, summary: str, details: str = "") -> None:
        self._emit(summary, details or summary)

    def watch(self, task: asyncio.Task[Any], where: str) -> None:
        """Report the task's exception when it ends with one (cancellation is not an error)."""

        def done(finished: asyncio.Task[Any]) -> None:
            if finished.cancelled():
                return
            error = finished.exception()
            if error is not None:
                self.report(error, where)

        task.add_done_callback(done)

    def _emit(self, summary: str, details: str) -> None:
        _log.error("%s\n%s", summary, details)
        entry = ReportedError(summary, details)
        self.errors.append(entry)
        self.reported.emit(entry)

    def _loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        message = str(context.get("message") or "unhandled error in the event loop")
        if isinstance(error, BaseException):
            self.report(error, message)
        else:
            self.report_message(message, repr(context))
        if self._previous_loop_handler is not None:
            self._previous_loop_handler(loop, context)

    def _excepthook(self, kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, error, tb))
        self._emit(_summary(error, ""), details)
        if self._previous_hook is not None and self._previous_hook is not sys.__excepthook__:
            self._previous_hook(kind, error, tb)


def _summary(error: BaseException, where: str) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    prefix = f"{where}: " if where else ""
    return f"{prefix}{type(error).__name__}: {text}"[:300]
