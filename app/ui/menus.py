"""The window's menus and keyboard shortcuts (every command has a key; menus show them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

__all__ = ["Actions", "build_menus"]


@dataclass
class Actions:
    run: QAction
    cancel: QAction
    export_json: QAction
    export_markdown: QAction
    copy_code: QAction
    diff: QAction
    settings: QAction
    history: QAction
    quit: QAction


def _action(
    window: MainWindow, text: str, slot: Callable[[], object], *keys: str | QKeySequence.StandardKey
) -> QAction:
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(key) for key in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda *_: slot())
    window.addAction(action)
    return action


def build_menus(window: MainWindow) -> Actions:
    bar = window.menuBar()
    actions = Actions(
        run=_action(window, "&Run", window.run, "Ctrl+Return", "Ctrl+Enter"),
        cancel=_action(window, "&Cancel run", window.cancel, "Esc"),
        export_json=_action(
            window, "Export run as &JSON\u2026", lambda: window.choose_export("json"), "Ctrl+E"
        ),
        export_markdown=_action(
            window,
            "Export report as &Markdown\u2026",
            lambda: window.choose_export("markdown"),
            "Ctrl+Shift+E",
        ),
        copy_code=_action(window, "&Copy winning code", window.copy_winning_code, "Ctrl+Shift+C"),
        diff=_action(window, "Compare &answers\u2026", window.open_diff, "Ctrl+D"),
        settings=_action(window, "&Settings\u2026", window.open_settings, "Ctrl+,"),
        history=_action(window, "Prompt &history\u2026", window.prompt_panel.open_history, "Ctrl+H"),
        quit=_action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit, "Ctrl+Q"),
    )
    file_menu = bar.addMenu("&File")
    file_menu.addActions([actions.export_json, actions.export_markdown])
    file_menu.addSeparator()
    file_menu.addAction(actions.settings)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(actions.copy_code)
    focus = _action(window, "&Focus the prompt", window.prompt_panel.editor.setFocus, "Ctrl+L")
    edit_menu.addAction(focus)
    run_menu = bar.addMenu("&Run")
    run_menu.addActions([actions.run, actions.cancel])
    run_menu.addSeparator()
    run_menu.addAction(actions.history)
    view_menu = bar.addMenu("&View")
    view_menu.addAction(actions.diff)
    view_menu.addAction(_action(window, "&Errors\u2026", window.status.show_errors))
    view_menu.addAction(_action(window, "&Reset layout", window.reset_layout))
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(_action(window, "&Keyboard shortcuts", window.show_shortcuts, "F1"))
    help_menu.addAction(
        _action(
            window,
            "&About Quorum",
            lambda: QMessageBox.about(
                window,
                "About Quorum",
                "Quorum asks several LLMs the same coding prompt, runs every answer in a sandbox and "
                "returns a verdict backed by evidence: which answers agree, and where they differ.",
            ),
        )
    )
    return actions
