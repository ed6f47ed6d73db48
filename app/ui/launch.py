"""`quorum gui`: start the window on a qasync event loop, and the scripted `--prompt --screenshot` mode.

    run_gui(config=None, demo=False, prompt=None, screenshot=None, metrics_port=None) -> exit code

The window shows at once; the pipeline opens in the background (threads do the slow parts). With
`prompt` and `screenshot`, the prompt runs, the verdict arrives, the window is saved as a PNG and the
app exits (0 when a verdict was produced, 1 otherwise). Works with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from app.core.errors import ConfigError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from app.bridge.errors import ErrorReporter
    from app.bridge.session import Session
    from app.config.settings import Settings
    from app.ui.main_window import MainWindow

__all__ = ["SCREENSHOT_SIZE", "Gui", "build_gui", "report_startup", "run_gui"]

SCREENSHOT_SIZE = (1600, 1000)
T = TypeVar("T")


@dataclass
class Gui:
    app: QApplication
    loop: asyncio.AbstractEventLoop
    errors: ErrorReporter
    session: Session
    window: MainWindow


def _route_qt_messages() -> None:
    """Qt's own warnings go to the log (not lost on stderr); platform chatter is dropped."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    log = logging.getLogger("qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if "propagateSizeHints" in message:  # the offscreen platform says it for every window
            return
        log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def _settings(config: str | None, strict: bool) -> tuple[Settings, Path, str | None]:
    from app.config.settings import Settings, config_path, load_settings

    path, _ = config_path(config)
    try:
        return load_settings(config), path, None
    except ConfigError as error:
        if strict:
            raise
        return Settings.model_validate({}), path, str(error)


def build_gui(
    *,
    config: str | None = None,
    demo: bool = False,
    metrics_port: int | None = None,
    strict_config: bool = False,
    settings: Settings | None = None,
    loop: asyncio.AbstractEventLoop | None = None,
) -> Gui:
    """The application, its qasync loop (set as the current loop; `loop` reuses one), the error reporter,
    the session and the window (not shown yet). Used by `run_gui`, the tests and the benchmark."""
    import qasync
    from PySide6.QtWidgets import QApplication

    from app.bridge.errors import ErrorReporter
    from app.bridge.history import PromptHistory, default_history_file
    from app.bridge.session import Session
    from app.ui.main_window import MainWindow
    from app.ui.theme import apply_theme

    _route_qt_messages()
    existing = QApplication.instance()
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication([sys.argv[0] if sys.argv else "quorum"])
    )
    app.setApplicationName("Quorum")
    app.setOrganizationName("Quorum")
    app.setDesktopFileName("quorum")
    app.setQuitOnLastWindowClosed(False)  # the loop ends when the window finished closing, not before
    theme = apply_theme(app)
    if settings is None:
        settings, path, config_error = _settings(config, strict_config)
    else:
        path, config_error = _settings_path(config), None
    if loop is None:
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
    errors = ErrorReporter()
    errors.install(loop)
    session = Session(
        settings,
        errors=errors,
        history=PromptHistory(default_history_file()),
        config_path=path,
        config_error=config_error,
        force_demo=demo,
        metrics_port=metrics_port,
    )
    window = MainWindow(session, theme, settings_path=path)
    return Gui(app, loop, errors, session, window)


def _settings_path(config: str | None) -> Path:
    from app.config.settings import config_path

    return config_path(config)[0]


def run_gui(
    *, config: str | None, demo: bool, prompt: str | None, screenshot: str | None, metrics_port: int | None
) -> int:
    """Everything `quorum gui [--demo] [--prompt P --screenshot FILE.png] [--metrics-port N]` does."""
    scripted = bool(prompt and screenshot)
    gui = build_gui(config=config, demo=demo, metrics_port=metrics_port, strict_config=scripted)
    if screenshot:
        gui.window.resize(*SCREENSHOT_SIZE)
    gui.window.show()
    gui.session.open()
    previous = signal.signal(signal.SIGINT, lambda *_: gui.window.close())
    from PySide6.QtCore import QTimer

    wake = QTimer()  # lets Python see Ctrl+C while Qt waits for events
    wake.start(250)
    wake.timeout.connect(lambda: None)
    try:
        return gui.loop.run_until_complete(_main(gui, prompt, Path(screenshot) if screenshot else None))
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)
        gui.errors.uninstall()
        gui.loop.close()
        asyncio.set_event_loop(None)


async def _wait_open(session: Session) -> bool:
    if session.ready:
        return True
    future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def done(ok: bool) -> None:
        if not future.done():
            future.set_result(ok)

    session.opened.connect(lambda _info: done(True))
    session.openFailed.connect(lambda _message: done(False))
    return await future


async def _main(gui: Gui, prompt: str | None, screenshot: Path | None) -> int:
    window = gui.window
    loop = asyncio.get_running_loop()
    closed: asyncio.Future[None] = loop.create_future()
    window.shutdownFinished.connect(lambda: _resolve(closed, None))
    if prompt:
        window.prompt_panel.set_prompt(prompt)
    code = 0
    if prompt or screenshot:
        script = loop.create_task(_script(gui, prompt, screenshot))
        waiters: list[asyncio.Future[Any]] = [closed, script]
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        if not script.done():  # the user closed the window before the script finished
            script.cancel()
            await asyncio.wait({script})
            return 1
        code = script.result()
        if screenshot is not None:
            await window.shutdown()
            window.close()
            return code
    await closed
    window.close()
    return code


async def _script(gui: Gui, prompt: str | None, screenshot: Path | None) -> int:
    """Wait for the pipeline, run the prompt (if any) to its verdict, save the screenshot (if asked)."""
    session, window = gui.session, gui.window
    code = 0 if await _wait_open(session) else 1
    if code == 0 and prompt:
        finished: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        session.run_model.finished.connect(lambda outcome: _resolve(finished, outcome))
        window.run()
        code = 0 if await finished == "done" else 1
    if screenshot is not None:
        await asyncio.sleep(0.4)  # let the charts and the last layout pass settle
        _save_screenshot(window, screenshot)
    for error in session.errors.errors[:3]:
        print(f"quorum gui: {error.summary}", file=sys.stderr)
    return code


def _resolve(future: asyncio.Future[T], value: T) -> None:
    if not future.done():
        future.set_result(value)


def _save_screenshot(window: MainWindow, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise OSError(f"could not save the screenshot to {path}")


def report_startup(*, config: str | None, demo: bool) -> int:
    """`quorum gui --startup-report` (hidden; bench/installer.py): start as `quorum gui` does, then print
    one JSON line of wall-clock times (time.time()) and exit: `usable` (the window's first paint: it takes
    input from then on), `ready` (pipeline open), `cache_ready` (embedding model loaded in the background),
    and the embedder's backend. The caller subtracts its own launch time."""
    import json
    import time

    from PySide6.QtCore import QEvent, QObject

    gui = build_gui(config=config, demo=demo, metrics_port=0)
    marks: dict[str, float] = {}
    details: dict[str, str | None] = {}

    class _FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "usable" not in marks:
                marks["usable"] = time.time()
            return False

    first_paint = _FirstPaint()
    gui.window.installEventFilter(first_paint)
    gui.window.show()
    gui.session.open()

    async def wait() -> int:
        ok = await _wait_open(gui.session)
        marks["ready"] = time.time()
        while "usable" not in marks or gui.session.cache_state == "loading":
            await asyncio.sleep(0.01)
        marks["cache_ready"] = time.time()
        embedder = getattr(getattr(gui.session.pipeline, "cache", None), "embedder", None)
        details["embedder"] = getattr(embedder, "backend", None)
        details["cache_state"] = gui.session.cache_state
        await gui.window.shutdown()
        return 0 if ok else 1

    try:
        code = gui.loop.run_until_complete(wait())
    finally:
        gui.errors.uninstall()
        gui.loop.close()
        asyncio.set_event_loop(None)
    print(json.dumps({**marks, **details}), flush=True)
    return code
