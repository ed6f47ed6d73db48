"""A finished run as files: the `quorum verify --json` object, and a Markdown report a person can read.

Both are built from the VerifyResult the pipeline returned; writing happens in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from app.bridge.views import answer_view, format_ms, inert, sandbox_view, verdict_view

if TYPE_CHECKING:
    from app.core.models import VerifyResult

__all__ = ["markdown_report", "run_json", "write_text"]


def run_json(result: VerifyResult) -> str:
    """Exactly what `quorum verify --json` prints for this run (pretty-printed)."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def _fence(text: str, info: str = "") -> str:
    """A code fence longer than any backtick run inside `text`, so the block can never end early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{marks}{info}\n{body}{marks}\n"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines()) + "\n"


def markdown_report(result: VerifyResult) -> str:
    verdict = verdict_view(result)
    lines = [
        f"# Quorum: {verdict.title} \u00b7 confidence {verdict.confidence:.2f}",
        "",
        "## Prompt",
        "",
        _quote(result.prompt),
        "## Verdict",
        "",
        f"**{verdict.title}** \u00b7 confidence {verdict.confidence:.2f}"
        + (f" \u00b7 winner: **{verdict.winner_provider}**" if verdict.winner_provider else ""),
        "",
        verdict.headline,
        "",
        verdict.explanation,
        "",
        f"_{verdict.footer}_",
        "",
    ]
    if verdict.clusters:
        lines += ["### Who agrees", ""]
        lines += [f"- {', '.join(group)}" for group in verdict.clusters]
        lines.append("")
    if verdict.counterexamples:
        lines += ["### Where they differ", ""]
        lines += [f"- `{call}`: {outputs}" for call, outputs in verdict.counterexamples]
        lines.append("")
    lines += ["## Answers", ""]
    for index, record in enumerate(result.answers):
        view = answer_view(index, record)
        star = " \u2605" if index == result.winner else ""
        lines += [f"### {index + 1}. {view.provider}{star}", ""]
        lines.append(f"- model: {view.model}")
        lines.append(f"- status: {view.chip.text}" + (f" ({view.error})" if view.error else ""))
        if view.metrics:
            lines.append(f"- timing: {view.metrics}")
        lines.append("")
        if view.code:
            lines += ["Code:", "", _fence(view.code, "python")]
        if record.execution is not None:
            box = sandbox_view(record.execution)
            lines.append(f"Sandbox: **{box.chip.text}** \u00b7 {box.summary}")
            lines.append("")
            for name, text in (("stdout", box.stdout), ("stderr", box.stderr)):
                if text.strip():
                    lines += [f"{name}:", "", _fence(text, "text")]
        if view.text.strip():
            lines += ["<details><summary>Full answer</summary>", "", _fence(inert(view.text), "markdown")]
            lines += ["</details>", ""]
    lines.append(f"_Exported from Quorum \u00b7 run took {format_ms(result.duration_ms)}._")
    return "\n".join(lines) + "\n"


async def write_text(path: Path, text: str) -> Path:
    def write() -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return await asyncio.to_thread(write)
