"""The /metrics exporter: real HTTP on 127.0.0.1, the injected registry's values, clean stop."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import pytest
from prometheus_client import CollectorRegistry

from app.core.errors import UserError
from app.metrics.exporter import MetricsExporter, free_port, start_exporter
from app.metrics.instruments import Metrics


def fetch(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a loopback URL we built
        return response.status, response.headers.get("Content-Type", ""), response.read().decode()


def test_serves_the_injected_registry_with_real_values() -> None:
    registry = CollectorRegistry()
    metrics = Metrics(registry)
    metrics.count_verdict("verified")
    metrics.count_verdict("verified")
    metrics.observe_request("groq", 0.4)
    metrics.count_cache_lookup("semantic")
    with MetricsExporter(registry, 0) as exporter:
        assert exporter.url.startswith("http://127.0.0.1:")
        assert exporter.url.endswith("/metrics")
        status, content_type, body = fetch(exporter.url)
    assert status == 200
    assert content_type.startswith("text/plain")
    assert 'quorum_verdicts_total{verdict="verified"} 2.0' in body
    assert 'quorum_provider_request_seconds_count{provider="groq"} 1.0' in body
    assert 'quorum_cache_lookups_total{result="semantic"} 1.0' in body
    # Nothing from the process-wide default registry leaks in.
    assert "python_gc_objects_collected_total" not in body


def test_values_are_live_and_a_swapped_registry_is_served_on_the_same_url() -> None:
    first = CollectorRegistry()
    metrics = Metrics(first)
    exporter = MetricsExporter(first, 0).start()
    try:
        metrics.count_verdict("disputed")
        assert 'quorum_verdicts_total{verdict="disputed"} 1.0' in fetch(exporter.url)[2]
        metrics.count_verdict("disputed")
        assert 'quorum_verdicts_total{verdict="disputed"} 2.0' in fetch(exporter.url)[2]
        second = CollectorRegistry()
        Metrics(second).count_verdict("failed")
        exporter.swap(second)
        body = fetch(exporter.url)[2]
        assert 'quorum_verdicts_total{verdict="failed"} 1.0' in body
        assert 'verdict="disputed"' not in body
    finally:
        exporter.stop()


def test_binds_loopback_only_and_stop_releases_the_port() -> None:
    registry = CollectorRegistry()
    port = free_port()
    exporter = start_exporter(registry, port)
    assert exporter is not None
    assert exporter.port == port
    assert exporter.running
    exporter.stop()
    assert not exporter.running
    exporter.stop()  # twice is fine
    with pytest.raises(urllib.error.URLError):
        fetch(f"http://127.0.0.1:{port}/metrics")
    # The port is free again: a new exporter can take it.
    again = start_exporter(registry, port)
    assert again is not None
    try:
        assert fetch(again.url)[0] == 200
    finally:
        again.stop()


def test_port_zero_in_config_disables_the_exporter() -> None:
    assert start_exporter(CollectorRegistry(), 0) is None


def test_a_busy_port_is_a_clear_user_error() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        with pytest.raises(UserError, match=rf"127\.0\.0\.1:{port}.*\[metrics\] port"):
            start_exporter(CollectorRegistry(), port)


def test_an_out_of_range_port_is_refused() -> None:
    with pytest.raises(UserError, match="out of range"):
        MetricsExporter(CollectorRegistry(), 70000)
