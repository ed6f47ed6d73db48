"""History across window instances, exports, diff, the demo and Ollama first-run paths, the error
reporter, the remembered layout."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.config.settings import ProviderSettings
from tests.ui.conftest import GuiFactory, QLoop, openai, run_and_wait, settings_for, until
from tests.ui.servers import ThreadedServer, ollama_chat, ollama_tags, streaming_answer

REVERSE = "Write a Python function that reverses a string."
SECOND = (Path(__file__).parents[2] / "resources" / "demo" / "04-second-largest.json").read_text(
    encoding="utf-8"
)
SECOND_PROMPT = json.loads(SECOND)["prompt"]
RIGHT = "```python\ndef add(a, b):\n    return a + b\n```\n"


def test_history_persists_across_window_instances_and_is_searchable(
    make_gui: GuiFactory, qloop: QLoop, server: ThreadedServer
) -> None:
    server.route("POST", "/alpha/v1/chat/completions", streaming_answer(RIGHT))
    settings = settings_for([openai("alpha", server.url)])
    first = make_gui(settings)
    for prompt in (
        "Write `add(a, b)` returning the sum.",
        "Write `add(a, b)`: the sum of two numbers, please.",
    ):
        assert run_and_wait(first, qloop, prompt) == "done"
    qloop.run(first.window.shutdown())

    second = make_gui(settings)
    panel = second.window.prompt_panel
    panel.open_history()
    popup = panel.popup
    assert popup.isVisible()
    titles = [popup.list.item(i).text() for i in range(popup.list.count())]
    assert len(titles) == 2 and "Write `add(a, b)`: the sum" in titles[0]
    verdict = second.session.history.entries[0].verdict
    assert verdict and titles[0].startswith(f"{verdict} \u00b7 ")  # the last verdict, at a glance
    QTest.keyClicks(popup.search, "numbers please")
    assert popup.list.count() == 1
    QTest.keyClick(popup.search, Qt.Key.Key_Return)
    assert panel.prompt() == "Write `add(a, b)`: the sum of two numbers, please."
    assert not popup.isVisible()


def test_export_writes_the_verify_json_and_a_markdown_report(
    make_gui: GuiFactory, qloop: QLoop, tmp_path: Path
) -> None:
    gui = make_gui(settings_for([]), demo=True)
    assert run_and_wait(gui, qloop, SECOND_PROMPT) == "done"
    json_task = gui.window.export_run(tmp_path / "out" / "run.json", "json")
    md_task = gui.window.export_run(tmp_path / "out" / "run.md", "markdown")
    assert json_task is not None and md_task is not None
    qloop.run(asyncio.wait({json_task, md_task}))
    data = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert {
        "prompt",
        "verdict",
        "confidence",
        "winner",
        "cache",
        "duration_ms",
        "answers",
        "explanation",
    } <= set(data)
    assert data["verdict"] == "disputed"
    assert [a["provider"] for a in data["answers"]] == ["demo-careful", "demo-hasty", "demo-verbose"]
    assert all(
        {"status", "served_by", "latency_ms", "text", "code", "error", "execution"} <= set(a)
        for a in data["answers"]
    )
    report = (tmp_path / "out" / "run.md").read_text(encoding="utf-8")
    assert report.startswith("# Quorum: DISPUTED")
    assert "## Prompt" in report and "## Answers" in report
    assert "### 1. demo-careful \u2605" in report
    assert "```python\ndef second_largest" in report
    assert "second_largest([3, 1, 4, 4, 2])" in report  # the counterexample


def test_demo_path_explains_itself_and_verifies(make_gui: GuiFactory, qloop: QLoop) -> None:
    gui = make_gui(settings_for([]))  # nothing configured, no Ollama: the recorded demo answers
    assert gui.session.info is not None and gui.session.info.mode == "demo"
    notice = gui.window.notice.text.text()
    assert gui.window.notice.isVisible()
    assert "demo" in notice and "GROQ_API_KEY" in notice and "keychain" in notice
    assert [pane.provider for pane in gui.window.answers.panes] == [
        "demo-careful",
        "demo-hasty",
        "demo-verbose",
    ]
    assert run_and_wait(gui, qloop, REVERSE) == "done"
    assert gui.window.banner.title.text() == "VERIFIED"
    assert all(pane.star.text() == "\u2605" for pane in gui.window.answers.panes)


def test_first_run_with_a_local_ollama_offers_its_models(
    make_gui: GuiFactory, qloop: QLoop, server: ThreadedServer, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    server.route("GET", "/api/tags", ollama_tags(["qwen2.5-coder:7b", "nomic-embed-text"]))
    server.route("POST", "/api/chat", ollama_chat(RIGHT))
    monkeypatch.setenv("OLLAMA_HOST", server.url)
    gui = make_gui(settings_for([]))
    qloop.run(until(lambda: gui.session.ready, what="the pipeline to open"))
    assert gui.session.info is not None and gui.session.info.mode == "ollama"
    assert "qwen2.5-coder:7b" in gui.window.notice.text.text()
    assert list(gui.window.picker.rows) == ["ollama-qwen2.5-coder-7b"]
    assert run_and_wait(gui, qloop, "Write `add(a, b)` returning the sum.\n\n>>> add(1, 2)\n3\n") == "done"
    assert gui.window.answers.panes[0].code_view.toPlainText().startswith("def add")


def test_diff_between_two_answers(make_gui: GuiFactory, qloop: QLoop) -> None:
    gui = make_gui(settings_for([]), demo=True)
    assert run_and_wait(gui, qloop, SECOND_PROMPT) == "done"
    panes = gui.window.answers.panes
    panes[0].compare.click()
    panes[1].compare.click()
    dialog = gui.window._diff
    assert dialog.isVisible()
    assert (dialog.left_pick.currentText(), dialog.right_pick.currentText()) == ("demo-careful", "demo-hasty")
    assert "changed" in dialog.summary.text() and "similar" in dialog.summary.text()
    left = dialog.left.toPlainText()
    assert "def second_largest" in left
    dialog.only_changes.setChecked(True)
    assert len(dialog.left.toPlainText().splitlines()) <= len(left.splitlines())
    dialog.compare(1, 1)
    assert dialog.summary.text() == "The two answers' code is identical."
    dialog.close()


@pytest.mark.qt_no_exception_capture  # the excepthook is called on purpose here
def test_unhandled_errors_reach_the_status_bar(make_gui: GuiFactory, qloop: QLoop) -> None:
    gui = make_gui(settings_for([]), demo=True, expect_errors=True)

    async def boom() -> None:
        raise RuntimeError("a background task failed")

    async def scenario() -> None:
        await until(lambda: gui.session.ready)
        task = asyncio.get_running_loop().create_task(boom())
        gui.errors.watch(task, "testing")
        await asyncio.wait({task})
        gui.session.errors._excepthook(ValueError, ValueError("from a Qt slot"), None)
        gui.session.errors._loop_handler(asyncio.get_running_loop(), {"message": "loop says no"})

    qloop.run(scenario())
    summaries = [error.summary for error in gui.errors.errors]
    assert summaries[0] == "testing: RuntimeError: a background task failed"
    assert summaries[1] == "ValueError: from a Qt slot"
    assert summaries[2] == "loop says no"
    status = gui.window.status
    assert status.error_button.isVisible() and status.error_button.text() == "\u26a0 3 errors"
    status.show_errors()
    assert status._panel is not None and status._panel.list.count() == 3
    qloop.errors.clear()  # the loop handler chained to the test harness on purpose
    assert sys.excepthook == gui.errors._excepthook


def test_layout_is_remembered(make_gui: GuiFactory, qloop: QLoop) -> None:
    settings = settings_for([ProviderSettings(name="d", kind="demo", model="demo-careful")])
    first = make_gui(settings, open_now=False)
    first.window.main_split.setSizes([300, 400, 150])
    remembered = first.window.main_split.sizes()
    qloop.run(first.window.shutdown())
    second = make_gui(settings, open_now=False)
    assert second.window.main_split.sizes() == remembered


def test_a_repeated_prompt_is_answered_from_the_cache(make_gui: GuiFactory, qloop: QLoop) -> None:
    gui = make_gui(settings_for([], cache=True), demo=True)
    assert run_and_wait(gui, qloop, REVERSE) == "done"
    assert gui.session.run_model.result is not None and gui.session.run_model.result.cache == "miss"
    assert run_and_wait(gui, qloop, REVERSE) == "done"
    result = gui.session.run_model.result
    assert result is not None and result.cache == "exact"
    panes = gui.window.answers.panes
    assert [pane.chip.chip.text for pane in panes] == ["cached \u00b7 exact"] * 3
    assert panes[0].code_view.toPlainText().startswith("def reverse_string")
    assert panes[0].sandbox_chip.chip.text == "ok"
    assert gui.window.banner.title.text() == "VERIFIED"
    assert "cache exact" in gui.window.banner.detail.text()
    gui.window.feed.poll()
    assert (gui.window.feed.cache_lookups, gui.window.feed.cache_hits) == (2, 1)
    assert "50% hits of 2" in gui.window.status.cache.text()
    gui.window.picker.use_cache.setChecked(False)  # asked fresh: the providers stream again
    assert run_and_wait(gui, qloop, REVERSE) == "done"
    assert gui.session.run_model.result is not None and gui.session.run_model.result.cache == "miss"
    assert panes[0].chip.chip.text == "done"
