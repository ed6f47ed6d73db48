"""Prometheus instruments on an injected CollectorRegistry, and the /metrics exporter. Never imports Qt."""
