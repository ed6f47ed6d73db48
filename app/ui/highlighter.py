"""Python syntax highlighting for answer code (QSyntaxHighlighter; triple-quoted strings span blocks)."""

from __future__ import annotations

import builtins
import keyword
import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from app.ui.theme import Theme

__all__ = ["PythonHighlighter"]

_KEYWORDS = re.compile(r"\b(?:" + "|".join([*keyword.kwlist, "match", "case", "self"]) + r")\b")
_BUILTIN_NAMES = [name for name in dir(builtins) if not name.startswith("_") and name.islower()]
_BUILTINS = re.compile(r"\b(?:" + "|".join(_BUILTIN_NAMES) + r")\b")
_NUMBER = re.compile(r"\b(?:0[xob][0-9a-fA-F_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?j?)\b")
_DEFINITION = re.compile(r"\b(?:def|class)\s+([A-Za-z_]\w*)")
_DECORATOR = re.compile(r"^\s*@[\w.]+", re.MULTILINE)
_STRING = re.compile(r"""[rbfuRBFU]{0,2}(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')""")
_COMMENT = re.compile(r"#[^\n]*")
_TRIPLE = (re.compile('"""'), re.compile("'''"))
_IN_TRIPLE = {1: 0, 2: 1}  # block state -> which delimiter is open


class PythonHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, theme: Theme) -> None:
        super().__init__(document)
        self.enabled = True
        self._formats: dict[str, QTextCharFormat] = {}
        self.set_theme(theme)

    def set_theme(self, theme: Theme) -> None:
        self._formats = {}
        for name, colour in theme.syntax.items():
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(colour))
            if name in ("keyword", "definition"):
                fmt.setFontWeight(QFont.Weight.DemiBold)
            if name == "comment":
                fmt.setFontItalic(True)
            self._formats[name] = fmt
        self.rehighlight()

    def set_enabled(self, enabled: bool) -> None:
        if enabled != self.enabled:
            self.enabled = enabled
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        self.setCurrentBlockState(0)
        if not self.enabled or not self._formats:
            return
        for pattern, name in ((_KEYWORDS, "keyword"), (_BUILTINS, "builtin"), (_NUMBER, "number")):
            for match in pattern.finditer(text):
                self.setFormat(match.start(), match.end() - match.start(), self._formats[name])
        for match in _DEFINITION.finditer(text):
            self.setFormat(match.start(1), match.end(1) - match.start(1), self._formats["definition"])
        for match in _DECORATOR.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self._formats["decorator"])
        # Strings and comments last: they win over everything inside them.
        taken: list[tuple[int, int]] = []
        for match in _STRING.finditer(text):
            if text.startswith(('"""', "'''"), match.start()):
                continue
            taken.append((match.start(), match.end()))
            self.setFormat(match.start(), match.end() - match.start(), self._formats["string"])
        for match in _COMMENT.finditer(text):
            if not any(start <= match.start() < end for start, end in taken):
                self.setFormat(match.start(), len(text) - match.start(), self._formats["comment"])
                break
        self._triple_quoted(text)

    def _triple_quoted(self, text: str) -> None:
        start = 0
        open_state = self.previousBlockState()
        delimiter = _TRIPLE[_IN_TRIPLE[open_state]] if open_state in _IN_TRIPLE else None
        while True:
            if delimiter is None:
                found = [(m.start(), i) for i, p in enumerate(_TRIPLE) if (m := p.search(text, start))]
                if not found:
                    return
                start, which = min(found)
                delimiter = _TRIPLE[which]
                search_from = start + 3
            else:
                which = _TRIPLE.index(delimiter)
                search_from = start
            end = delimiter.search(text, search_from)
            if end is None:
                self.setFormat(start, len(text) - start, self._formats["string"])
                self.setCurrentBlockState(which + 1)
                return
            self.setFormat(start, end.end() - start, self._formats["string"])
            start = end.end()
            delimiter = None
