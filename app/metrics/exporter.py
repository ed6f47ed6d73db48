"""The Prometheus `/metrics` endpoint: serves a registry over HTTP on 127.0.0.1, from a background thread.

`start_exporter(registry, port)` follows the config contract (`[metrics] port`, 0 disables). The class itself
binds any port it is given, 0 meaning "a free one" (what tests use). The registry is the pipeline's injected
one, never the global default; `swap` points a running exporter at another (the GUI reopens its pipeline,
with a fresh registry, after a settings change). Stopping is explicit and joins the serving thread.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, make_wsgi_app
from prometheus_client.metrics_core import Metric

from app.core.errors import UserError

__all__ = ["LOOPBACK", "MetricsExporter", "free_port", "start_exporter"]

LOOPBACK = "127.0.0.1"
_log = logging.getLogger(__name__)


class _Current:
    """A collector that forwards to whichever registry the exporter serves right now."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self._lock = threading.Lock()

    def swap(self, registry: CollectorRegistry) -> None:
        with self._lock:
            self.registry = registry

    def collect(self) -> Iterable[Metric]:
        with self._lock:
            registry = self.registry
        return registry.collect()

    def restricted_registry(self, names: Iterable[str]) -> Any:
        with self._lock:
            registry = self.registry
        return registry.restricted_registry(names)


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a slow scraper never holds up stopping
    allow_reuse_address = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("metrics: " + format, *args)


class MetricsExporter:
    """Serves `registry` at `http://127.0.0.1:PORT/metrics` until `stop()`. Port 0 binds a free port."""

    def __init__(self, registry: CollectorRegistry, port: int, *, host: str = LOOPBACK) -> None:
        if not 0 <= port <= 65535:
            raise UserError(f"metrics port {port} is out of range (0-65535)")
        self._current = _Current(registry)
        self._host = host
        self._wanted_port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            return self._wanted_port
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}/metrics"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> MetricsExporter:
        """Bind and start serving. Raises UserError when the port cannot be bound (in use, not allowed)."""
        if self._server is not None:
            return self
        app = make_wsgi_app(self._current)
        try:
            server = make_server(self._host, self._wanted_port, app, _Server, handler_class=_QuietHandler)
        except OSError as error:
            raise UserError(
                f"cannot serve metrics on {self._host}:{self._wanted_port} ({error.strerror or error}); "
                "choose another [metrics] port, or 0 to disable"
            ) from None
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="metrics-exporter", daemon=True
        )
        self._thread.start()
        _log.info("serving metrics at %s", self.url)
        return self

    def swap(self, registry: CollectorRegistry) -> None:
        """Serve another registry from now on (the port and the URL stay the same)."""
        self._current.swap(registry)

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop serving and release the port. Blocks until the serving thread ends (call it off the GUI
        thread); safe to call twice."""
        server, thread = self._server, self._thread
        self._server, self._thread = None, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout_s)

    def __enter__(self) -> MetricsExporter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_exporter(registry: CollectorRegistry, port: int, *, host: str = LOOPBACK) -> MetricsExporter | None:
    """The config contract: port 0 disables the exporter (None), any other port is bound on loopback."""
    if port == 0:
        return None
    return MetricsExporter(registry, port, host=host).start()


def free_port(host: str = LOOPBACK) -> int:
    """A port nothing listens on right now (for tests and benchmarks that need a fixed, known port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
