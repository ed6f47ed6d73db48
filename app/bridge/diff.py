"""Side-by-side line diff of two answers' code (difflib), as rows a view can paint."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

__all__ = ["DiffRow", "DiffSummary", "side_by_side"]

RowKind = Literal["equal", "changed", "removed", "added"]


@dataclass(frozen=True)
class DiffRow:
    kind: RowKind
    left_no: int | None  # 1-based line numbers; None where the side has no line
    left: str
    right_no: int | None
    right: str


@dataclass(frozen=True)
class DiffSummary:
    rows: list[DiffRow]
    added: int
    removed: int
    changed: int
    similarity: float  # 0..1, difflib's ratio over lines

    @property
    def identical(self) -> bool:
        return self.added == self.removed == self.changed == 0


def side_by_side(left: str, right: str, *, only_changes: bool = False, context: int = 2) -> DiffSummary:
    a, b = left.splitlines(), right.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    rows: list[DiffRow] = []
    added = removed = changed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [DiffRow("equal", i1 + k + 1, a[i1 + k], j1 + k + 1, b[j1 + k]) for k in range(i2 - i1)]
        elif tag == "delete":
            removed += i2 - i1
            rows += [DiffRow("removed", i + 1, a[i], None, "") for i in range(i1, i2)]
        elif tag == "insert":
            added += j2 - j1
            rows += [DiffRow("added", None, "", j + 1, b[j]) for j in range(j1, j2)]
        else:
            span = max(i2 - i1, j2 - j1)
            changed += span
            for k in range(span):
                i, j = i1 + k, j1 + k
                rows.append(
                    DiffRow(
                        "changed",
                        i + 1 if i < i2 else None,
                        a[i] if i < i2 else "",
                        j + 1 if j < j2 else None,
                        b[j] if j < j2 else "",
                    )
                )
    if only_changes:
        rows = _with_context(rows, context)
    return DiffSummary(rows, added, removed, changed, matcher.ratio())


def _with_context(rows: list[DiffRow], context: int) -> list[DiffRow]:
    """Only the rows that differ and `context` equal rows around them (promptfoo's "only differences")."""
    keep: set[int] = set()
    for index, row in enumerate(rows):
        if row.kind != "equal":
            keep.update(range(max(0, index - context), min(len(rows), index + context + 1)))
    return [row for index, row in enumerate(rows) if index in keep]
