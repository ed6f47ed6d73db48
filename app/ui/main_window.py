"""The Quorum window: prompt and providers on top, the verdict banner, the answers side by side, the live
charts, and the status bar. A view over the bridge's Session: it holds no run state of its own."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QFileDialog,
    QLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.bridge.health import Notice, SessionInfo, first_run_notice
from app.bridge.metrics_feed import MetricsFeed
from app.bridge.session import Session
from app.bridge.settings_controller import SettingsController
from app.bridge.views import PaneInit, VerdictView
from app.config.paths import config_dir, resources_dir
from app.ui.answers_area import AnswersArea
from app.ui.charts import ChartsPanel
from app.ui.diff_dialog import DiffDialog
from app.ui.menus import build_menus
from app.ui.prompt_panel import PromptPanel
from app.ui.provider_picker import ProviderPicker
from app.ui.settings_dialog import SettingsDialog
from app.ui.status import QuorumStatusBar
from app.ui.theme import Theme
from app.ui.verdict_banner import VerdictBanner
from app.ui.widgets import NoticeBar, column, row

__all__ = ["MainWindow"]

_LAYOUT_VERSION = 1
_MAIN_SIZES = [190, 560, 190]


def _splitter(orientation: Qt.Orientation, *widgets: QWidget, sizes: list[int]) -> QSplitter:
    splitter = QSplitter(orientation)
    splitter.setChildrenCollapsible(False)
    splitter.setHandleWidth(8 if orientation == Qt.Orientation.Horizontal else 10)
    for widget in widgets:
        splitter.addWidget(widget)
    splitter.setStretchFactor(1 if len(widgets) > 2 else 0, 1)
    splitter.setSizes(sizes)
    return splitter


def _widget(layout: QLayout) -> QWidget:
    widget = QWidget()
    widget.setLayout(layout)
    return widget


class MainWindow(QMainWindow):
    shutdownFinished = Signal()

    def __init__(self, session: Session, theme: Theme, *, settings_path: Path) -> None:
        super().__init__()
        self.session = session
        self.theme = theme
        self.settings_path = settings_path
        self.setWindowTitle("Quorum")
        self.setWindowIcon(QIcon(str(resources_dir() / "icons" / "quorum.svg")))
        self.resize(1440, 920)
        self.feed = MetricsFeed(parent=self)
        self.settings_controller = SettingsController(settings_path, session.errors, self)
        self._closing = False
        self._closed = False
        self._settings_dialog: SettingsDialog | None = None
        self._diff: DiffDialog | None = None

        self.prompt_panel = PromptPanel(session.history)
        self.picker = ProviderPicker()
        self.top_split = _splitter(
            Qt.Orientation.Horizontal, self.prompt_panel, self.picker, sizes=[900, 360]
        )
        self.banner = VerdictBanner()
        self.answers = AnswersArea(theme)
        self.charts = ChartsPanel(self.feed, theme)
        top = _widget(row(self.top_split, self._buttons(), spacing=10, margins=(0, 0, 0, 0)))
        middle_layout = column(self.banner, self.answers, spacing=10, margins=(0, 0, 0, 0))
        middle_layout.setStretch(1, 1)
        middle = _widget(middle_layout)
        self.main_split = _splitter(Qt.Orientation.Vertical, top, middle, self.charts, sizes=_MAIN_SIZES)
        self.notice = NoticeBar()
        central = QWidget()
        central.setObjectName("central")
        column(self.notice, self.main_split, spacing=8, margins=(12, 10, 12, 8), parent=central)
        self.setCentralWidget(central)
        self.status = QuorumStatusBar(session.errors)
        self.setStatusBar(self.status)
        self.commands = build_menus(self)
        self._wire()
        self.restore_layout()

    def _buttons(self) -> QVBoxLayout:
        self.run_button = QPushButton("\u25b6  Run   Ctrl+\u21b5")
        self.run_button.setObjectName("primary")
        self.run_button.setToolTip("Ask the checked providers (Ctrl+Enter)")
        self.cancel_button = QPushButton("\u25a0  Cancel   Esc")
        self.cancel_button.setObjectName("danger")
        self.cancel_button.setEnabled(False)
        self.settings_button = QPushButton("\u2699  Settings")
        self.settings_button.setToolTip("Providers, keys, cache, sandbox, metrics (Ctrl+,)")
        for button in (self.run_button, self.cancel_button):
            button.setMinimumWidth(150)
        return column(self.run_button, self.cancel_button, 1, self.settings_button, spacing=8)

    # -- wiring ----------------------------------------------------------------------------------------
    def _wire(self) -> None:
        session, model = self.session, self.session.run_model
        self.answers.connect_model(model)
        self.prompt_panel.runRequested.connect(self.run)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.settings_button.clicked.connect(self.open_settings)
        self.notice.actionTriggered.connect(self.open_settings)
        self.answers.compareRequested.connect(self.open_diff)
        self.banner.copyRequested.connect(self.copy_winning_code)
        self.banner.diffRequested.connect(self.open_diff)
        self.banner.exportJsonRequested.connect(lambda: self.choose_export("json"))
        self.banner.exportMarkdownRequested.connect(lambda: self.choose_export("markdown"))
        session.stateChanged.connect(self._state_changed)
        session.opened.connect(self._opened)
        session.openFailed.connect(self._open_failed)
        session.healthChanged.connect(self.picker.set_health)
        session.healthChanged.connect(self.status.set_health)
        session.busyChanged.connect(self._busy)
        model.started.connect(lambda panes: self.banner.show_state("running", "Asking the providers\u2026"))
        model.progress.connect(self.banner.set_progress)
        model.answerReady.connect(lambda index, view: self.feed.add_answer(view))
        model.verdictReady.connect(self._verdict)
        model.finished.connect(self._finished)
        model.failed.connect(lambda reason: self.banner.show_state("error", reason))
        self.feed.cacheChanged.connect(lambda: self.status.set_cache(self.feed))
        session.exported.connect(lambda path: self.status.showMessage(f"Exported {path}", 6000))
        session.cacheStateChanged.connect(lambda state: self.status.set_cache(state=state))

    def _state_changed(self, state: str) -> None:
        if state == "opening":
            self.status.set_opening("providers: starting\u2026")
        self._update_buttons()

    def _opened(self, info: SessionInfo) -> None:
        self.picker.set_providers(info.providers)
        self.prompt_panel.popup.samples = list(info.samples)
        self.status.set_info(info)
        self.notice.show_notice(first_run_notice(info))
        self.feed.attach(self.session.registry)
        if not self.answers.panes or self.session.run_model.result is None:
            self.answers.set_panes([PaneInit(i, p.name, p.model) for i, p in enumerate(info.providers)])
        QTimer.singleShot(0, self.charts.build)
        self._update_buttons()

    def _open_failed(self, message: str) -> None:
        self.banner.show_state("error", "Quorum could not start its pipeline.", message)
        self.notice.show_notice(Notice("error", message, "Open settings"))
        self.status.set_opening("providers: not started")
        QTimer.singleShot(0, self.charts.build)

    def _busy(self, busy: bool) -> None:
        self.prompt_panel.set_running(busy)
        self.picker.set_enabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.session.busy
        self.run_button.setEnabled(self.session.ready and not busy and not self._closing)
        self.cancel_button.setEnabled(busy)
        self.commands.run.setEnabled(self.run_button.isEnabled())
        self.commands.cancel.setEnabled(busy)
        has_result = self.session.run_model.result is not None
        for action in (self.commands.export_json, self.commands.export_markdown, self.commands.diff):
            action.setEnabled(has_result)
        self.commands.copy_code.setEnabled(self.session.run_model.winning_code is not None)

    def _verdict(self, view: VerdictView) -> None:
        self.banner.show_verdict(view, has_code=self.session.run_model.winning_code is not None)
        self.feed.poll()

    def _finished(self, outcome: str) -> None:
        if outcome == "cancelled":
            self.banner.show_state(
                "cancelled", "The run was cancelled: provider requests and sandbox runs stopped."
            )
        self.feed.poll()
        self._update_buttons()

    # -- actions ---------------------------------------------------------------------------------------
    def run(self) -> None:
        prompt = self.prompt_panel.prompt()
        if not prompt.strip():
            self.status.showMessage("Type a prompt first.", 4000)
            self.prompt_panel.editor.setFocus()
            return
        selected = self.picker.selected()
        if self.picker.rows and not selected:
            self.status.showMessage("Check at least one provider.", 4000)
            return
        use_cache = self.picker.use_cache.isChecked()
        if not self.session.run(prompt, self.prompt_panel.tests_text(), selected, use_cache=use_cache):
            self.status.showMessage("Quorum is still starting (or a run is going on).", 4000)

    def cancel(self) -> None:
        if self.session.busy:
            self.status.showMessage("Cancelling\u2026", 3000)
            self.session.cancel()

    def copy_winning_code(self) -> None:
        code = self.session.run_model.winning_code
        if code:
            QGuiApplication.clipboard().setText(code)
            self.status.showMessage("Copied the winning answer's code.", 4000)

    def open_diff(self, first: int | None = None, second: int | None = None) -> DiffDialog | None:
        panes = self.answers.panes
        if len(panes) < 2:
            self.status.showMessage("Diff needs two answers.", 4000)
            return None
        model = self.session.run_model
        if first is None or second is None:
            first, second = model.diff_pair()
        dialog = DiffDialog([pane.provider for pane in panes], model.answer_code, self.theme, self)
        dialog.compare(first, second)
        dialog.show()
        self._diff = dialog
        return dialog

    def choose_export(self, kind: str) -> None:
        if self.session.run_model.result is None:
            return
        suffix = "json" if kind == "json" else "md"
        default = str(Path.home() / f"quorum-run.{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, "Export run", default, f"*.{suffix}")
        if path:
            self.export_run(Path(path), kind)

    def export_run(self, path: Path, kind: str) -> asyncio.Task[None] | None:
        return self.session.export_run(path, kind)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.settings_controller, self)
        dialog.settingsSaved.connect(self.session.reload)
        dialog.settingsSaved.connect(
            lambda _: self.status.showMessage("Settings saved; restarting providers\u2026", 5000)
        )
        self._settings_dialog = dialog
        dialog.show()
        return dialog

    def show_shortcuts(self) -> None:
        QMessageBox.information(
            self,
            "Keyboard shortcuts",
            "Ctrl+Enter  run\nEsc  cancel the run\nCtrl+H  prompt history\nCtrl+L  focus the prompt\n"
            "Ctrl+Shift+C  copy the winning code\nCtrl+D  compare two answers\nCtrl+E  export JSON\n"
            "Ctrl+Shift+E  export Markdown\nCtrl+,  settings\nCtrl+Q  quit",
        )

    # -- layout and closing ------------------------------------------------------------------------------
    def _qsettings(self) -> QSettings:
        return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)

    def save_layout(self) -> None:
        store = self._qsettings()
        store.setValue("version", _LAYOUT_VERSION)
        store.setValue("geometry", self.saveGeometry())
        store.setValue("state", self.saveState())
        for name in ("main_split", "top_split"):
            store.setValue(name, getattr(self, name).saveState())
        store.setValue("charts", self.charts.saveState())
        store.sync()

    def restore_layout(self) -> None:
        store = self._qsettings()
        if store.value("version") not in (_LAYOUT_VERSION, str(_LAYOUT_VERSION)):
            return
        for name, target in (("geometry", self.restoreGeometry), ("state", self.restoreState)):
            value = store.value(name)
            if isinstance(value, QByteArray):
                target(value)
        for name, splitter in (
            ("main_split", self.main_split),
            ("top_split", self.top_split),
            ("charts", self.charts),
        ):
            value = store.value(name)
            if isinstance(value, QByteArray):
                splitter.restoreState(value)

    def reset_layout(self) -> None:
        self.main_split.setSizes(_MAIN_SIZES)
        self.top_split.setSizes([900, 360])
        self.charts.setSizes([520, 300, 300])

    async def shutdown(self) -> None:
        """Cancel the run, close the pipeline and the exporter, remember the layout."""
        if not self._closing:
            self._closing = True
            self._update_buttons()
            self.save_layout()
            await self.settings_controller.aclose()
            await self.session.shutdown()
            self._closed = True
            self.shutdownFinished.emit()
        else:
            while not self._closed:
                await asyncio.sleep(0.01)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:
            event.accept()
            return
        event.ignore()
        if not self._closing:
            self.status.showMessage("Closing: cancelling the run and stopping the sandbox\u2026")
            task = self.session.spawn(self.shutdown(), "closing")
            task.add_done_callback(lambda _: self.close())
