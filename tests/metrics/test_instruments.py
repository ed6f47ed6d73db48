"""Prometheus instruments live on the registry they are given, never on the global default one."""

from __future__ import annotations

import subprocess
import sys

import pytest
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest

from app.metrics.instruments import Metrics


def test_every_instrument_records_on_the_injected_registry() -> None:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    metrics.observe_request("groq", 0.8)
    metrics.observe_ttft("groq", 0.12)
    metrics.count_answer("groq", "ok")
    metrics.count_answer("groq", "ok")
    metrics.count_answer("gemini", "rate_limited")
    metrics.count_retry("gemini")
    metrics.count_fallback("gemini", "local")
    metrics.set_breaker_state("gemini", "open")
    metrics.set_breaker_state("groq", "half_open")
    metrics.observe_sandbox("ok", 0.04)
    metrics.observe_sandbox("timeout", 5.0)
    metrics.count_verdict("verified")
    metrics.observe_end_to_end(2.5)
    metrics.count_cache_lookup("semantic")

    value = registry.get_sample_value
    assert value("quorum_provider_request_seconds_count", {"provider": "groq"}) == 1
    assert value("quorum_provider_request_seconds_sum", {"provider": "groq"}) == pytest.approx(0.8)
    assert value("quorum_provider_time_to_first_token_seconds_count", {"provider": "groq"}) == 1
    assert value("quorum_answers_total", {"provider": "groq", "status": "ok"}) == 2
    assert value("quorum_answers_total", {"provider": "gemini", "status": "rate_limited"}) == 1
    assert value("quorum_provider_retries_total", {"provider": "gemini"}) == 1
    assert value("quorum_provider_fallbacks_total", {"provider": "gemini", "fallback": "local"}) == 1
    assert value("quorum_circuit_breaker_state", {"provider": "gemini"}) == 2
    assert value("quorum_circuit_breaker_state", {"provider": "groq"}) == 1
    assert value("quorum_sandbox_duration_seconds_count", {"status": "timeout"}) == 1
    assert value("quorum_sandbox_duration_seconds_bucket", {"status": "ok", "le": "0.05"}) == 1
    assert value("quorum_verdicts_total", {"verdict": "verified"}) == 1
    assert value("quorum_end_to_end_seconds_count") == 1
    assert value("quorum_cache_lookups_total", {"result": "semantic"}) == 1
    text = generate_latest(registry).decode()
    assert "# HELP quorum_circuit_breaker_state" in text


def test_breaker_levels() -> None:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    for state, level in (("closed", 0), ("half_open", 1), ("open", 2)):
        metrics.set_breaker_state("p", state)
        assert registry.get_sample_value("quorum_circuit_breaker_state", {"provider": "p"}) == level
    with pytest.raises(ValueError, match="unknown breaker state"):
        metrics.set_breaker_state("p", "ajar")


def test_registries_are_independent_and_the_default_is_untouched() -> None:
    before = {metric.name for metric in REGISTRY.collect()}
    first, second = CollectorRegistry(), CollectorRegistry()
    Metrics(first).count_verdict("disputed")
    Metrics(second)  # a second pipeline in the same process: no "duplicated timeseries"
    assert first.get_sample_value("quorum_verdicts_total", {"verdict": "disputed"}) == 1
    assert second.get_sample_value("quorum_verdicts_total", {"verdict": "disputed"}) is None
    assert {metric.name for metric in REGISTRY.collect()} == before
    with pytest.raises(ValueError, match="Duplicated"):
        Metrics(first)  # one Metrics per registry


def test_custom_namespace() -> None:
    registry = CollectorRegistry()
    Metrics(registry, namespace="bench").count_cache_lookup("miss")
    assert registry.get_sample_value("bench_cache_lookups_total", {"result": "miss"}) == 1


def test_nothing_is_created_at_import_time() -> None:
    code = (
        "from prometheus_client import REGISTRY\n"
        "before = {m.name for m in REGISTRY.collect()}\n"
        "import app.metrics.instruments, app.providers.pool, app.providers.resilience\n"
        "print({m.name for m in REGISTRY.collect()} == before)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
