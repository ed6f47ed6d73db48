"""The window drives a real run: panes stream, the sandbox runs each answer, the verdict banner arrives."""

from __future__ import annotations

import asyncio
import threading
import urllib.request

from app.metrics.exporter import free_port
from tests.ui.conftest import GuiFactory, QLoop, next_signal, openai, run_and_wait, settings_for, until
from tests.ui.servers import ThreadedServer, streaming_answer

PROMPT = "Write a Python function `add(a, b)` that returns the sum.\n\n>>> add(2, 3)\n5\n>>> add(-1, 1)\n0\n"
RIGHT = "Here you go:\n\n```python\ndef add(a, b):\n    return a + b\n\nprint(add(2, 3))\n```\n"
RIGHT_TOO = "```python\ndef add(a: int, b: int) -> int:\n    total = a\n    total += b\n    return total\n```"
WRONG = "Sure.\n\n```python\ndef add(a, b):\n    return a - b\n```\nThat subtracts, on purpose."


def test_panes_stream_then_the_verdict_names_the_winner(
    make_gui: GuiFactory, qloop: QLoop, server: ThreadedServer
) -> None:
    gate = threading.Event()
    server.route("POST", "/alpha/v1/chat/completions", streaming_answer(RIGHT, gate=gate))
    server.route("POST", "/beta/v1/chat/completions", streaming_answer(RIGHT_TOO))
    server.route("POST", "/gamma/v1/chat/completions", streaming_answer(WRONG))
    port = free_port()
    settings = settings_for(
        [openai("alpha", server.url), openai("beta", server.url), openai("gamma", server.url)]
    )
    gui = make_gui(settings, metrics_port=port)
    window = gui.window

    async def scenario() -> None:
        await until(lambda: gui.session.ready, what="the pipeline to open")
        assert [row for row in window.picker.rows] == ["alpha", "beta", "gamma"]
        window.prompt_panel.set_prompt(PROMPT)
        window.run_button.click()
        alpha = window.answers.panes
        # alpha streams its first chunk and then waits: its pane shows the partial text, chip "streaming".
        await until(
            lambda: len(window.answers.panes) == 3 and window.answers.panes[0].text_view.toPlainText(),
            what="streamed text",
        )
        alpha = window.answers.panes[0]
        assert RIGHT.startswith(alpha.text_view.toPlainText())
        assert alpha.chip.chip.text == "streaming"
        assert window.banner.title.text() == "RUNNING"
        assert not window.run_button.isEnabled() and window.cancel_button.isEnabled()
        # The others finish and run in the sandbox while alpha is still streaming.
        await until(lambda: window.answers.panes[1].sandbox_chip.chip.text == "ok", what="beta's sandbox run")
        assert alpha.chip.chip.text == "streaming"
        gate.set()
        await next_signal(gui.session.run_model.verdictReady)

    qloop.run(scenario())
    banner, panes = window.banner, window.answers.panes
    assert banner.title.text() == "VERIFIED"
    assert "confidence" in banner.confidence.text()
    assert "alpha" in banner.headline.text() and "gamma" in banner.headline.text()
    assert "add(" in banner.headline.text()  # the counterexample
    assert panes[0].chip.chip.text == "done"
    assert panes[0].code_view.toPlainText().startswith("def add(a, b):")
    assert panes[0].sandbox_out.toPlainText().strip() == "5"
    assert panes[0].sandbox_summary.text().endswith(gui.session.info.sandbox.split("/")[-1])
    assert "ms" in panes[0].metrics.text()
    winner = gui.session.run_model.result.winner
    assert winner in (0, 1)
    assert panes[winner].star.text() == "\u2605"
    assert panes[2].star.text() == ""
    assert window.run_button.isEnabled() and not window.cancel_button.isEnabled()
    assert gui.window.commands.copy_code.isEnabled()
    window.copy_winning_code()
    from PySide6.QtGui import QGuiApplication

    assert "def add" in QGuiApplication.clipboard().text()
    # The live charts and the status bar saw it; /metrics serves the pipeline's real values.
    assert window.feed.verdicts["verified"] == 1
    assert sum(len(s.xs) for s in window.feed.latency.values()) == 3
    assert f"http://127.0.0.1:{port}/metrics" in window.status.metrics.text()
    body = qloop.run(
        asyncio.to_thread(
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
        )
    )
    assert 'quorum_verdicts_total{verdict="verified"} 1.0' in body
    assert 'quorum_answers_total{provider="alpha",status="ok"} 1.0' in body


def test_ctrl_enter_runs_and_the_prompt_lands_in_history(
    make_gui: GuiFactory, qloop: QLoop, server: ThreadedServer
) -> None:
    server.route("POST", "/alpha/v1/chat/completions", streaming_answer(RIGHT))
    gui = make_gui(settings_for([openai("alpha", server.url)]))
    assert run_and_wait(gui, qloop, PROMPT) == "done"
    assert gui.window.banner.title.text() in ("VERIFIED", "DISPUTED")
    entry = gui.session.history.entries[0]
    assert entry.prompt == PROMPT.strip()
    assert entry.verdict == gui.session.run_model.result.verdict
