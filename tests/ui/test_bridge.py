"""The bridge's display rules, without a window: chips, inert output, verdict sentence, history, settings
draft, diff, export, chart series."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from prometheus_client import CollectorRegistry

from app.bridge.diff import side_by_side
from app.bridge.export import _fence, markdown_report, run_json
from app.bridge.history import PromptHistory
from app.bridge.metrics_feed import MetricsFeed
from app.bridge.settings_draft import (
    ProviderDraft,
    SettingsDraft,
    draft_from_file,
    draft_to_data,
    to_toml,
    validate_draft,
)
from app.bridge.views import answer_chip, format_ms, inert, sandbox_view, verdict_view
from app.config.settings import Settings
from app.core.models import AnswerRecord, VerifyResult
from app.judge.engine import CandidateReport, JudgeReport
from app.metrics.instruments import Metrics
from app.providers.answer import Answer
from app.sandbox.base import SandboxResult


def test_chips_say_what_happened() -> None:
    assert answer_chip("ok", None, None).text == "done"
    fallback = answer_chip("rate_limited", "local", "429")
    assert (fallback.kind, fallback.text) == ("warn", "served by local")
    assert "rate limited" in fallback.tooltip
    assert answer_chip("timeout", None, "took too long").kind == "error"
    assert answer_chip("auth", None, "set GROQ_API_KEY").tooltip == "set GROQ_API_KEY"
    assert format_ms(412.4) == "412 ms" and format_ms(1900) == "1.9 s" and format_ms(None) == "\u2013"


def test_terminal_escape_sequences_are_shown_inert() -> None:
    raw = "\x1b[31mred\x1b[0m\tok\n\x07bell\rback"
    shown = inert(raw)
    assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
    assert shown == "\\x1b[31mred\\x1b[0m\tok\n\\x07bell\\x0dback"
    view = sandbox_view(SandboxResult("ok", 0, raw, "\x1b]0;title\x07", 3.2, "subprocess", isolation="bwrap"))
    assert view.stdout == shown and view.stderr == "\\x1b]0;title\\x07"
    assert view.summary == "3 ms \u00b7 exit 0 \u00b7 bwrap"


def _result(
    verdict: str, winner: int | None, clusters: list[list[int]], disagreements: list[dict]
) -> VerifyResult:  # type: ignore[type-arg]
    names = ["groq", "gemini", "local"]
    answers = [
        AnswerRecord(Answer(name, f"{name}-m", "ok", text="```python\nx = 1\n```"), code="x = 1\n")
        for name in names
    ]
    candidates = [CandidateReport(i, name, "x = 1\n", "ok", 2, 2) for i, name in enumerate(names)]
    report = JudgeReport(
        verdict, 0.9, winner, clusters, candidates, "Because.", "f", ["f(1)", "f(2)"], 0, disagreements
    )
    return VerifyResult("p", verdict, 0.9, winner, answers, "Because.", judge=report)  # type: ignore[arg-type]


def test_the_verdict_sentence_names_who_agrees_and_the_counterexample() -> None:
    result = _result(
        "verified",
        2,
        [[0, 2], [1]],
        [{"input": 'reverse("")', "outputs": {"groq (#0)": "returns ''", "gemini (#1)": "returns None"}}],
    )
    view = verdict_view(result)
    assert view.title == "VERIFIED"
    assert view.clusters == [["groq", "local"], ["gemini"]]
    assert view.winning_cluster == [0, 2]
    assert view.headline == (
        'groq and local agree (2 of 3); they pass 2/2 checks. gemini differs on reverse(""): '
        "groq returns ''; gemini returns None."
    )
    assert view.counterexamples == [('reverse("")', "groq returns ''; gemini returns None")]
    alone = verdict_view(_result("disputed", 0, [[1, 2], [0]], []))
    assert alone.headline.startswith("Only groq behaves this way (1 of 3); it passes 2/2 checks.")
    assert alone.clusters[0] == ["groq"]


def test_markdown_fences_survive_backticks_in_answers() -> None:
    assert _fence("a ``` b", "text").startswith("````text\n")
    result = _result("verified", 0, [[0, 1, 2]], [])
    report = markdown_report(result)
    assert report.startswith("# Quorum: VERIFIED") and "### 1. groq \u2605" in report
    assert json.loads(run_json(result))["winner"] == {"index": 0, "provider": "groq"}


def test_history_dedupes_searches_and_survives_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "data" / "history.json"
    history = PromptHistory(path, limit=3)
    for prompt in ("reverse a string", "fizzbuzz up to n", "reverse a list", "reverse a string"):
        history.add(prompt)
    assert [entry.prompt for entry in history.entries] == [
        "reverse a string",
        "reverse a list",
        "fizzbuzz up to n",
    ]
    history.set_verdict("reverse a list", "disputed")
    again = PromptHistory(path)
    assert [entry.prompt for entry in again.search("REVERSE a")] == ["reverse a string", "reverse a list"]
    assert again.entries[1].verdict == "disputed"
    path.write_text("{not json", encoding="utf-8")
    assert PromptHistory(path).entries == []
    assert path.with_suffix(".damaged.json").exists()


def test_settings_draft_round_trips_through_toml_and_validates(tmp_path: Path) -> None:
    draft = SettingsDraft(providers=[ProviderDraft(name="local", kind="ollama", model="qwen2.5-coder", base_url="http://127.0.0.1:11434"),
                                     ProviderDraft(name="g", kind="groq", model="llama", fallback="local", key="gsk_x")])  # fmt: skip
    draft.similarity_threshold = 0.9
    text = to_toml(draft_to_data(draft))
    assert "gsk_x" not in text
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    settings = Settings.model_validate(tomllib.loads(text))
    assert settings.providers[1].fallback == "local"
    loaded, problem = draft_from_file(path)
    assert (
        problem is None
        and loaded.providers[0].model == "qwen2.5-coder"
        and loaded.similarity_threshold == 0.9
    )
    issues = validate_draft(loaded, environ={})
    assert [(issue.key, issue.blocking) for issue in issues] == [
        ("providers[1].key", False)
    ]  # a warning only
    assert validate_draft(loaded, environ={"GROQ_API_KEY": "k"}) == []
    loaded.providers[1].fallback = "g"
    loaded.providers.append(ProviderDraft(name="local", kind="demo", model="demo-careful"))
    messages = [issue.message for issue in validate_draft(loaded, environ={"GROQ_API_KEY": "k"})]
    assert "Fallback: a provider cannot fall back to itself" in messages
    assert "Name: 'local' is used by another provider" in messages
    quoted = to_toml({"cache": {"path": 'C:\\odd "dir"\n'}})
    assert tomllib.loads(quoted)["cache"]["path"] == 'C:\\odd "dir"\n'
    fresh, problem = draft_from_file(tmp_path / "missing.toml")
    assert problem is None and fresh.providers == []


def test_side_by_side_diff_rows() -> None:
    diff = side_by_side("a\nb\nc\n", "a\nB\nc\nd\n")
    kinds = [row.kind for row in diff.rows]
    assert kinds == ["equal", "changed", "equal", "added"]
    assert (diff.changed, diff.added, diff.removed) == (1, 1, 0)
    assert diff.rows[1].left == "b" and diff.rows[1].right == "B"
    far = side_by_side(
        "\n".join(map(str, range(30))), "\n".join(map(str, range(29))) + "\nX", only_changes=True
    )
    assert len(far.rows) == 3 and far.rows[-1].kind == "changed"
    assert side_by_side("x", "x").identical


def test_metrics_feed_reads_the_cache_and_verdict_counters(qapp) -> None:  # type: ignore[no-untyped-def]
    feed = MetricsFeed()
    first = CollectorRegistry()
    metrics = Metrics(first)
    feed.attach(first)
    assert feed.hit_rate is None
    metrics.count_cache_lookup("miss")
    metrics.count_cache_lookup("exact")
    metrics.count_cache_lookup("semantic")
    metrics.count_verdict("verified")
    feed.poll()
    assert feed.cache_lookups == 3 and round(feed.hit_rate or 0) == 67
    assert feed.cache_rate.ys[-1] == feed.hit_rate
    assert feed.verdicts["verified"] == 1
    second = CollectorRegistry()  # the session reopened its pipeline
    feed.attach(second)
    Metrics(second).count_verdict("disputed")
    feed.poll()
    assert feed.verdicts == {"verified": 1, "disputed": 1, "failed": 0, "no_answers": 0}
    assert feed.cache_lookups == 3
    feed.attach(None)


def test_saving_keeps_settings_the_form_does_not_show(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(
        '[cache]\nttl_days = 7.5\nserve_verdicts = ["verified", "disputed"]\n"odd key" = {a = 1}\n\n'
        "[metrics]\nport = 9999\n",
        encoding="utf-8",
    )
    draft, problem = draft_from_file(path)
    assert problem is None and draft.metrics_port == 9999
    draft.metrics_port = 0
    data = tomllib.loads(to_toml(draft_to_data(draft)))
    assert data["cache"]["ttl_days"] == 7.5
    assert data["cache"]["serve_verdicts"] == ["verified", "disputed"]
    assert data["cache"]["odd key"] == {"a": 1}
    assert data["metrics"]["port"] == 0
