"""Light and dark themes that follow the system colour scheme: a palette, the style sheet, code colours.

The style sheet lives in `resources/style/quorum.qss` with `@name` placeholders filled from the theme;
widgets pick colours through dynamic properties (`kind="ok"`, `verdict="disputed"`), never hard-coded.
`QUORUM_THEME=light|dark` overrides the system (screenshots, or a user's preference).
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.config.paths import resources_dir

__all__ = ["DARK", "LIGHT", "Theme", "apply_theme", "mono_font", "refresh_style", "system_prefers_dark"]


@dataclass(frozen=True)
class Theme:
    dark: bool
    window: str
    panel: str
    panel_alt: str
    border: str
    text: str
    muted: str
    accent: str
    accent_hover: str
    accent_text: str
    code_bg: str
    selection: str
    ok: str
    ok_bg: str
    warn: str
    warn_bg: str
    error: str
    error_bg: str
    busy: str
    busy_bg: str
    muted_bg: str
    syntax: dict[str, str] = field(default_factory=dict)
    series: tuple[str, ...] = ()


LIGHT = Theme(
    dark=False,
    window="#eef0f4",
    panel="#ffffff",
    panel_alt="#f6f7f9",
    border="#d9dde4",
    text="#1c2230",
    muted="#6a7385",
    accent="#3563e9",
    accent_hover="#2a52c9",
    accent_text="#ffffff",
    code_bg="#fafbfc",
    selection="#cfdcff",
    ok="#137a3f",
    ok_bg="#e3f5ea",
    warn="#9a5b00",
    warn_bg="#fdf0d8",
    error="#b42318",
    error_bg="#fde7e5",
    busy="#2453c7",
    busy_bg="#e3ebff",
    muted_bg="#eceef2",
    syntax={
        "keyword": "#8a2fc9",
        "builtin": "#0a6b8a",
        "string": "#a3401a",
        "comment": "#6e7781",
        "number": "#0b6e4f",
        "definition": "#1f4fd1",
        "decorator": "#8a5a00",
    },
    series=("#3563e9", "#e8590c", "#2b8a3e", "#ae3ec9", "#0c8599", "#c2255c", "#5c940d", "#845ef7"),
)

DARK = Theme(
    dark=True,
    window="#15171c",
    panel="#1d2027",
    panel_alt="#23272f",
    border="#323843",
    text="#e3e6ec",
    muted="#98a1b2",
    accent="#5b8cff",
    accent_hover="#7aa2ff",
    accent_text="#0d1220",
    code_bg="#191c22",
    selection="#2f4a8a",
    ok="#5fd38d",
    ok_bg="#173826",
    warn="#f2b24c",
    warn_bg="#3a2c12",
    error="#ff7b72",
    error_bg="#44201e",
    busy="#8fb0ff",
    busy_bg="#1e2c4f",
    muted_bg="#2a2f38",
    syntax={
        "keyword": "#d2a8ff",
        "builtin": "#79c0ff",
        "string": "#ffa657",
        "comment": "#8b949e",
        "number": "#7ee787",
        "definition": "#6cb6ff",
        "decorator": "#e3b341",
    },
    series=("#5b8cff", "#ff922b", "#51cf66", "#cc5de8", "#22b8cf", "#f06595", "#94d82d", "#9775fa"),
)


def system_prefers_dark() -> bool:
    forced = os.environ.get("QUORUM_THEME", "").strip().lower()
    if forced in ("dark", "light"):
        return forced == "dark"
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return scheme == Qt.ColorScheme.Dark
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


@cache
def _template() -> str:
    return (resources_dir() / "style" / "quorum.qss").read_text(encoding="utf-8")


def style_sheet(theme: Theme) -> str:
    values = {key: value for key, value in asdict(theme).items() if isinstance(value, str)}
    values["icons"] = (resources_dir() / "icons").as_posix()
    return re.sub(r"@([a-z_]+)", lambda m: values.get(m.group(1), m.group(0)), _template())


def _palette(theme: Theme) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    colours = {
        role.Window: theme.window,
        role.WindowText: theme.text,
        role.Base: theme.panel,
        role.AlternateBase: theme.panel_alt,
        role.Text: theme.text,
        role.Button: theme.panel,
        role.ButtonText: theme.text,
        role.ToolTipBase: theme.panel,
        role.ToolTipText: theme.text,
        role.Highlight: theme.accent,
        role.HighlightedText: theme.accent_text,
        role.PlaceholderText: theme.muted,
        role.Link: theme.accent,
        role.Mid: theme.border,
        role.Midlight: theme.panel_alt,
        role.Dark: theme.border,
    }
    for name, value in colours.items():
        palette.setColor(name, QColor(value))
    for name in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, name, QColor(theme.muted))
    return palette


def apply_theme(app: QApplication, dark: bool | None = None) -> Theme:
    theme = DARK if (system_prefers_dark() if dark is None else dark) else LIGHT
    app.setStyle("Fusion")
    app.setPalette(_palette(theme))
    app.setStyleSheet(style_sheet(theme))
    font = QFont(app.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.5))
    app.setFont(font)
    return theme


def mono_font(size_delta: float = 0.0) -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    base = QApplication.font().pointSizeF()
    font.setPointSizeF(max(7.0, (base if base > 0 else 10.0) - 0.5 + size_delta))
    return font


def refresh_style(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()
