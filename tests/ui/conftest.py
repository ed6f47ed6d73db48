"""Window tests: the real window on a qasync event loop, offscreen, against fake provider servers.

`qloop` runs one qasync QEventLoop per test. Anything that goes wrong unseen fails the test: an error the
loop's exception handler receives, a task still pending when the test ends, an error the window's
ErrorReporter received (the status bar's "⚠ N errors") unless the test says it expects one.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QApplication

from app.config.settings import ProviderSettings, Settings
from app.ui.launch import Gui, build_gui
from tests.ui.servers import ThreadedServer

T = TypeVar("T")


class QLoop:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.errors: list[dict[str, Any]] = []
        self._outer: asyncio.Task[Any] | None = None

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        self._outer = self.loop.create_task(asyncio.wait_for(coro, timeout))
        try:
            return self.loop.run_until_complete(self._outer)
        finally:
            self._outer = None

    def other_tasks(self) -> list[asyncio.Task[Any]]:
        """Tasks still pending besides the test's own (call from inside `run`)."""
        mine = {asyncio.current_task(), self._outer}
        return [task for task in asyncio.all_tasks(self.loop) if task not in mine and not task.done()]


async def until(predicate: Callable[[], object], timeout: float = 30.0, what: str = "") -> None:
    """Wait (on the event loop) until `predicate()` is true. The bound is a safety net, not a measure."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what or predicate}")
        await asyncio.sleep(0.01)


async def next_signal(signal: SignalInstance, timeout: float = 30.0) -> tuple[Any, ...]:
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def fire(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    signal.connect(fire)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        signal.disconnect(fire)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[QLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    harness = QLoop(loop)
    loop.set_exception_handler(lambda _loop, context: harness.errors.append(context))
    try:
        yield harness
    finally:
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.wait(pending, timeout=10))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)
    assert not pending, f"tasks left running after the test: {pending}"
    assert not harness.errors, f"unhandled errors on the event loop: {harness.errors}"


@pytest.fixture
def server() -> Iterator[ThreadedServer]:
    fake = ThreadedServer().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture(autouse=True)
def _no_outside_world(monkeypatch: pytest.MonkeyPatch) -> None:
    """No real keys, no real keychain, no real Ollama: every provider is one of ours."""
    for name in ("GROQ_API_KEY", "HF_TOKEN", "OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OLLAMA_HOST", "127.0.0.1:9")  # discard port: nothing answers
    monkeypatch.setenv("QUORUM_THEME", "light")
    monkeypatch.setattr("app.config.secrets._keychain_get", lambda provider: None)


def settings_for(providers: list[ProviderSettings], *, cache: bool = False, **sandbox: Any) -> Settings:
    """Fast test settings: subprocess sandbox without warm workers, no /metrics, the cache off unless
    asked for (its embedding model takes seconds to load)."""
    box = {"backend": "subprocess", "pool_size": 0, "timeout_s": 10.0, **sandbox}
    return Settings.model_validate(
        {
            "providers": [p.model_dump() for p in providers],
            "sandbox": box,
            "metrics": {"port": 0},
            "cache": {"enabled": cache},
        }
    )


def openai(name: str, url: str, **extra: Any) -> ProviderSettings:
    return ProviderSettings(
        name=name, kind="openai", model=f"{name}-model", base_url=f"{url}/{name}/v1", **extra
    )


GuiFactory = Callable[..., Gui]


@pytest.fixture
def make_gui(qloop: QLoop, tmp_path: Path) -> Iterator[GuiFactory]:
    made: list[Gui] = []
    expected: list[str] = []

    def make(
        settings: Settings | None = None, *, open_now: bool = True, expect_errors: bool = False, **kw: Any
    ) -> Gui:
        config = kw.pop("config", str(tmp_path / "config.toml"))
        gui = build_gui(config=config, settings=settings, loop=qloop.loop, **kw)
        gui.window.resize(1400, 900)
        gui.window.show()
        if open_now:
            gui.session.open()
            # Qt must only process events inside the loop: wait here, before the test touches widgets.
            qloop.run(until(lambda: gui.session.state in ("ready", "failed"), what="the pipeline to open"))
        if expect_errors:
            expected.append(str(id(gui)))
        made.append(gui)
        return gui

    yield make
    for gui in made:
        qloop.run(gui.window.shutdown())
        gui.window.close()
        gui.errors.uninstall()
        gui.window.deleteLater()
        if str(id(gui)) not in expected:
            assert not gui.errors.errors, (
                f"errors reported in the window: {[e.summary for e in gui.errors.errors]}"
            )


def run_and_wait(gui: Gui, qloop: QLoop, prompt: str, timeout: float = 60.0) -> str:
    """Type the prompt, press Ctrl+Enter, wait for the run to finish; the outcome ("done", ...)."""

    async def go() -> str:
        await until(lambda: gui.session.ready, what="the pipeline to open")
        gui.window.prompt_panel.set_prompt(prompt)
        waiter = asyncio.ensure_future(next_signal(gui.session.run_model.finished, timeout))
        await asyncio.sleep(0)
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(gui.window.prompt_panel.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        (outcome,) = await waiter
        return str(outcome)

    return qloop.run(go(), timeout + 30)
