"""Errors are states, not dialogs: a failing provider says why in its pane and chip; cancelling and
closing mid-run stop provider requests and sandbox processes and leave no task behind."""

from __future__ import annotations

import asyncio
import threading

import psutil
import pytest

from tests.ui.conftest import GuiFactory, QLoop, next_signal, openai, run_and_wait, settings_for, until
from tests.ui.servers import ThreadedServer, error_reply, streaming_answer

PROMPT = "Write a Python function `add(a, b)` that returns the sum.\n\n>>> add(2, 3)\n5\n"
RIGHT = "```python\ndef add(a, b):\n    return a + b\n```\n"
SLOW_CODE = "```python\nimport time\n\ndef add(a, b):\n    return a + b\n\ntime.sleep(60)\n```\n"


_EARLIER: set[int] = set()


@pytest.fixture(autouse=True)
def _children_before_the_test() -> None:
    """Children already there when a test starts (a session's redis-server, say) are not its sandbox
    runs; every child started since is."""
    _EARLIER.clear()
    _EARLIER.update(child.pid for child in psutil.Process().children(recursive=True))


def sandbox_processes() -> list[psutil.Process]:
    return [child for child in psutil.Process().children(recursive=True) if child.pid not in _EARLIER]


def test_each_failure_shows_its_own_status(
    make_gui: GuiFactory, qloop: QLoop, server: ThreadedServer
) -> None:
    server.route("POST", "/good/v1/chat/completions", streaming_answer(RIGHT))
    server.route("POST", "/locked/v1/chat/completions", error_reply(401, "invalid api key"))
    server.route("POST", "/busy/v1/chat/completions", error_reply(429, "slow down", {"Retry-After": "600"}))
    server.route("POST", "/backup/v1/chat/completions", streaming_answer(RIGHT))
    server.route("POST", "/broken/v1/chat/completions", error_reply(400, "model does not exist"))
    settings = settings_for(
        [
            openai("good", server.url),
            openai("locked", server.url),
            openai("busy", server.url, fallback="backup"),
            openai("broken", server.url),
            openai("backup", server.url),
        ]
    )
    gui = make_gui(settings)
    assert run_and_wait(gui, qloop, PROMPT) == "done"
    panes = {pane.provider: pane for pane in gui.window.answers.panes}
    assert panes["good"].chip.chip.text == "done"
    locked = panes["locked"]
    assert locked.chip.chip.kind == "error"
    assert locked.chip.chip.text == "no key / auth"
    assert "401" in locked.text_view.toPlainText() or "key" in locked.text_view.toPlainText().lower()
    assert locked.stack.currentWidget() is locked.text_view  # the reason is what the pane shows
    busy = panes["busy"]
    assert busy.chip.chip.text == "served by backup"
    assert busy.chip.chip.kind == "warn"
    assert busy.code_view.toPlainText().startswith("def add")
    assert panes["broken"].chip.chip.kind == "error"
    assert "model does not exist" in panes["broken"].text_view.toPlainText()
    # The picker shows the providers' health after the run: the fallback, the rejected key.
    chips = {name: row.chip.chip for name, row in gui.window.picker.rows.items()}
    assert chips["busy"].text == "429\u2192backup"
    assert chips["good"].text == "ok"
    assert chips["locked"].kind in ("warn", "error")
    assert gui.window.banner.title.text() in ("VERIFIED", "DISPUTED")


def test_cancel_mid_run_stops_requests_and_sandbox_processes(
    make_gui: GuiFactory, qloop: QLoop, server: ThreadedServer
) -> None:
    gone = threading.Event()
    server.route(
        "POST", "/slow/v1/chat/completions", streaming_answer(RIGHT, forever=True, disconnected=gone)
    )
    server.route("POST", "/sleepy/v1/chat/completions", streaming_answer(SLOW_CODE))
    gui = make_gui(settings_for([openai("slow", server.url), openai("sleepy", server.url)], timeout_s=60.0))
    window = gui.window

    async def scenario() -> None:
        await until(lambda: gui.session.ready, what="the pipeline to open")
        assert sandbox_processes() == []  # no warm workers in these tests: every child is a run
        window.prompt_panel.set_prompt(PROMPT)
        window.run()
        await until(
            lambda: (
                len(window.answers.panes) == 2 and window.answers.panes[1].sandbox_chip.chip.text == "running"
            ),
            what="the sandbox run",
        )
        await until(sandbox_processes, what="the sandboxed program to start")
        await until(window.answers.panes[0].text_view.toPlainText, what="streaming")
        finished = asyncio.ensure_future(next_signal(gui.session.run_model.finished))
        await asyncio.sleep(0)
        window.cancel_button.click()
        (outcome,) = await finished
        assert outcome == "cancelled"
        await until(lambda: not sandbox_processes(), what="the sandbox processes to be killed")
        await until(gone.is_set, what="the provider request to be dropped")
        assert qloop.other_tasks() == []

    qloop.run(scenario())
    assert window.banner.title.text() == "CANCELLED"
    assert [pane.chip.chip.text for pane in window.answers.panes] == ["cancelled", "cancelled"]
    assert window.run_button.isEnabled() and not window.cancel_button.isEnabled()
    assert gui.session.run_model.result is None


def test_closing_the_window_mid_run_cancels_cleanly(
    make_gui: GuiFactory, qloop: QLoop, server: ThreadedServer
) -> None:
    gone = threading.Event()
    server.route(
        "POST", "/slow/v1/chat/completions", streaming_answer(RIGHT, forever=True, disconnected=gone)
    )
    server.route("POST", "/sleepy/v1/chat/completions", streaming_answer(SLOW_CODE))
    gui = make_gui(settings_for([openai("slow", server.url), openai("sleepy", server.url)], timeout_s=60.0))
    window = gui.window

    async def scenario() -> None:
        await until(lambda: gui.session.ready, what="the pipeline to open")
        window.prompt_panel.set_prompt(PROMPT)
        window.run()
        await until(sandbox_processes, what="the sandboxed program to start")
        closed = asyncio.ensure_future(next_signal(window.shutdownFinished))
        await asyncio.sleep(0)
        window.close()
        assert window.isVisible()  # it stays until the run is cancelled and the pipeline closed
        await closed
        await until(lambda: not window.isVisible(), what="the window to close")
        await until(lambda: not sandbox_processes(), what="the killed sandbox processes to be gone")
        await until(gone.is_set, what="the provider request to be dropped")
        assert qloop.other_tasks() == []

    qloop.run(scenario())
    assert gui.session.state == "closed"
    assert gui.session.pipeline is None


def test_an_unusable_config_is_shown_not_fatal(make_gui: GuiFactory, qloop: QLoop, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "broken.toml"
    config.write_text('[sandbox]\ntimeout_s = "soon"\n', encoding="utf-8")
    gui = make_gui(None, config=str(config), demo=True)
    qloop.run(until(lambda: gui.session.ready, what="the pipeline to open"))
    notice = gui.window.notice
    assert notice.isVisible()
    assert "broken.toml" in notice.text.text() and "timeout_s" in notice.text.text()
    assert notice.action.text() == "Open settings"
