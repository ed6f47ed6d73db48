"""The window's one connection to the pipeline: opens it, runs prompts, cancels, closes. Qt signals out.

Every step is an asyncio task on the qasync loop (the GUI thread). Whatever blocks (imports of the heavy
modules, the HTTP client's TLS setup, probing Docker and the sandbox's isolation layer, binding the
/metrics port) is sent to a worker thread first, so the window stays responsive while Quorum starts.
Tasks are tracked: shutting down cancels the run (provider requests and sandbox processes with it) and
closes the pipeline before the window goes away. Errors become states and reports, never silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.bridge.errors import ErrorReporter
from app.bridge.health import SessionInfo, provider_health, session_info
from app.bridge.history import PromptHistory
from app.bridge.run_model import RunModel
from app.core.errors import QuorumError

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry

    from app.config.settings import Settings
    from app.core.pipeline import Pipeline
    from app.metrics.exporter import MetricsExporter

__all__ = ["Session"]

_log = logging.getLogger(__name__)


def preload() -> None:
    """Import what opening the pipeline needs, in a worker thread (a second of imports, off the GUI)."""
    import httpx  # noqa: F401
    import keyring

    import app.core.pipeline
    import app.metrics.exporter
    import app.providers.demo
    import app.providers.pool
    import app.providers.registry
    import app.sandbox.factory

    with contextlib.suppress(ImportError):  # the result cache (diskcache store, embedder wrapper)
        import app.cache.commands  # noqa: F401

    with contextlib.suppress(Exception):  # which backend the keychain uses: slow the first time
        keyring.get_keyring()
    try:
        import pyqtgraph  # noqa: F401 - the charts build as soon as it is in
    except ImportError as error:  # pragma: no cover - a broken install; the charts say so
        _log.warning("pyqtgraph is not importable: %s", error)


class Session(QObject):
    stateChanged = Signal(str)  # opening | ready | running | closing | closed | failed
    cacheStateChanged = Signal(str)  # off | loading | ready | exact only: <why>
    opened = Signal(object)  # SessionInfo
    openFailed = Signal(str)
    healthChanged = Signal(object)  # list[ProviderHealth]
    busyChanged = Signal(bool)
    closed = Signal()
    exported = Signal(str)  # the path a run was exported to

    def __init__(
        self,
        settings: Settings,
        *,
        errors: ErrorReporter,
        history: PromptHistory,
        config_path: Path | None = None,
        config_error: str | None = None,
        force_demo: bool = False,
        metrics_port: int | None = None,
        health_interval_ms: int = 1000,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.errors = errors
        self.history = history
        self.config_path = config_path
        self.config_error = config_error
        self.force_demo = force_demo
        self.metrics_port = metrics_port
        self.run_model = RunModel()
        self.info: SessionInfo | None = None
        self.cache_state = "off"
        self.state = "new"
        self.pipeline: Pipeline | None = None
        self.registry: CollectorRegistry | None = None
        self._exporter: MetricsExporter | None = None
        self._metrics_error: str | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._open_task: asyncio.Task[None] | None = None
        self._run_task: asyncio.Task[None] | None = None
        self._health = QTimer(self)
        self._health.setInterval(health_interval_ms)
        self._health.timeout.connect(self.refresh_health)

    # -- public API (called by widgets) --------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._run_task is not None and not self._run_task.done()

    @property
    def ready(self) -> bool:
        return self.pipeline is not None and self.state in ("ready", "running")

    def open(self) -> None:
        if self._open_task is None or self._open_task.done():
            self._open_task = self.spawn(self._open(), "opening the pipeline")

    def reload(self, settings: Settings) -> None:
        """New settings (the settings dialog saved): close the pipeline and open it again with them."""
        self.settings = settings
        self.force_demo = False
        self.config_error = None
        self.spawn(self._reload(), "reloading the settings")

    def run(
        self, prompt: str, tests: str = "", providers: Sequence[str] | None = None, *, use_cache: bool = True
    ) -> bool:
        """Start a run; False when none can start now (not open yet, or one is running)."""
        if self.pipeline is None or self.busy or not prompt.strip():
            return False
        try:
            self.history.add(prompt, tests)
        except OSError as error:
            self.errors.report(error, "saving the prompt history")
        self.run_model.begin(prompt)
        self._run_task = self.spawn(self._run(self.pipeline, prompt, tests, providers, use_cache), "the run")
        self._set_state("running")
        self.busyChanged.emit(True)
        return True

    def cancel(self) -> None:
        if self._run_task is not None and not self._run_task.done():
            self._run_task.cancel()

    async def shutdown(self) -> None:
        """Cancel what runs, close the pipeline and stop the exporter. Safe to call more than once."""
        if self.state in ("closing", "closed"):
            while self.state != "closed":
                await asyncio.sleep(0.01)
            return
        self._set_state("closing")
        self._health.stop()
        for task in (self._open_task, self._run_task):
            if task is not None and not task.done():
                task.cancel()
                await asyncio.wait([task])
        await self._close_pipeline()
        if self._exporter is not None:
            exporter, self._exporter = self._exporter, None
            await asyncio.to_thread(exporter.stop)
        pending = [task for task in self._tasks if task is not asyncio.current_task() and not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
        self._set_state("closed")
        self.closed.emit()

    def refresh_health(self) -> None:
        if self.pipeline is None:
            return
        health = provider_health(self.pipeline, self.run_model.result)
        self.healthChanged.emit(health)

    def export_run(self, path: Path, kind: str) -> asyncio.Task[None] | None:
        """Write the last result as the verify JSON (`kind="json"`) or a Markdown report, off the GUI
        thread. None when there is no result yet."""
        from app.bridge.export import markdown_report, run_json, write_text

        result = self.run_model.result
        if result is None:
            return None
        text = run_json(result) if kind == "json" else markdown_report(result)

        async def write() -> None:
            self.exported.emit(str(await write_text(path, text)))

        return self.spawn(write(), f"exporting to {path}")

    @property
    def metrics_url(self) -> str | None:
        return self._exporter.url if self._exporter is not None else None

    # -- tasks -----------------------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, None], where: str) -> asyncio.Task[None]:
        """Run `coro` as a tracked task on the loop: its error is reported, shutdown cancels it."""
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self.errors.watch(task, where)
        return task

    async def _open(self) -> None:
        self._set_state("opening")
        try:
            self.pipeline = await self._open_pipeline()
        except QuorumError as error:
            self._set_state("failed")
            self.openFailed.emit(str(error))
            return
        except Exception as error:  # a bug: reported by the task watcher, and the window says so
            self._set_state("failed")
            self.openFailed.emit(f"internal error ({type(error).__name__}: {error})")
            raise
        await self._ensure_exporter(self.registry)
        self.info = await asyncio.to_thread(
            session_info,
            self.pipeline,
            config_path=self.config_path,
            config_error=self.config_error,
            metrics_url=self.metrics_url,
            metrics_error=self._metrics_error,
            demo_requested=self.force_demo,
        )
        self._set_state("ready")
        self.opened.emit(self.info)
        _settle_memory()
        self._load_embedder(self.pipeline)
        self.refresh_health()
        self._health.start()

    async def _open_pipeline(self) -> Pipeline:
        await asyncio.to_thread(preload)
        from prometheus_client import CollectorRegistry

        from app.core.pipeline import Pipeline
        from app.providers.base import new_http_client
        from app.sandbox.factory import create_sandbox

        settings = self.settings
        if self.force_demo:
            from app.providers.demo import demo_provider_settings

            settings = settings.model_copy(update={"providers": demo_provider_settings()})
        client = await asyncio.to_thread(new_http_client)
        sandbox = None
        try:
            box = settings.sandbox
            sandbox = await asyncio.to_thread(
                create_sandbox, box.backend, docker_image=box.docker_image, pool_size=box.pool_size
            )
            await asyncio.to_thread(_warm, sandbox)
            registry = CollectorRegistry()
            pipeline = await Pipeline.open(settings, registry=registry, client=client, sandbox=sandbox)
        except BaseException:
            await client.aclose()
            if sandbox is not None:
                await sandbox.aclose()
            raise
        if self.force_demo:
            pipeline.mode = "demo"
        self.registry = registry
        self.run_model.models = {entry.name: entry.model for entry in pipeline.provider_settings}
        return pipeline

    def _load_embedder(self, pipeline: Pipeline) -> None:
        """The semantic cache's model loads on its own thread now, not at the first run."""
        embedder = getattr(getattr(pipeline, "cache", None), "embedder", None)
        if embedder is None:
            self.cache_state = "off" if getattr(pipeline, "cache", None) is None else "exact only"
            self.cacheStateChanged.emit(self.cache_state)
            return
        self.cache_state = "loading"
        self.cacheStateChanged.emit(self.cache_state)
        self.spawn(self._await_embedder(embedder), "loading the embedding model")

    async def _await_embedder(self, embedder: Any) -> None:
        try:
            await asyncio.wrap_future(embedder.start_loading())
        except QuorumError as error:  # no model: the cache still answers exact repeats
            self.cache_state = f"exact only: {error}"
        else:
            self.cache_state = "ready"
            _settle_memory()
        self.cacheStateChanged.emit(self.cache_state)

    async def _ensure_exporter(self, registry: CollectorRegistry | None) -> None:
        from app.metrics.exporter import start_exporter

        if registry is None:
            return
        port = self.metrics_port if self.metrics_port is not None else self.settings.metrics.port
        if self._exporter is not None and self._exporter.port == port:
            self._exporter.swap(registry)
            return
        if self._exporter is not None:
            old, self._exporter = self._exporter, None
            await asyncio.to_thread(old.stop)
        self._metrics_error = None
        try:
            self._exporter = await asyncio.to_thread(start_exporter, registry, port)
        except QuorumError as error:
            self._metrics_error = str(error)

    async def _reload(self) -> None:
        self.cancel()
        if self._run_task is not None:
            await asyncio.wait([self._run_task])
        if self._open_task is not None and not self._open_task.done():
            self._open_task.cancel()
            await asyncio.wait([self._open_task])
        self._health.stop()
        await self._close_pipeline()
        self.open()

    async def _close_pipeline(self) -> None:
        pipeline, self.pipeline = self.pipeline, None
        if pipeline is not None:
            await pipeline.aclose()

    async def _run(
        self, pipeline: Pipeline, prompt: str, tests: str, providers: Sequence[str] | None, use_cache: bool
    ) -> None:
        outcome, reason = "failed", ""
        try:
            result = await pipeline.verify(
                prompt,
                providers=providers or None,
                tests=tests or None,
                on_event=self.run_model.handle,
                use_cache=use_cache,
            )
            outcome = "done"
            try:
                self.history.set_verdict(prompt, result.verdict)
            except OSError as error:
                self.errors.report(error, "saving the prompt history")
        except asyncio.CancelledError:
            outcome = "cancelled"
            raise
        except QuorumError as error:
            reason = str(error)
        except Exception as error:
            self.errors.report(error, "the run")
            reason = f"internal error ({type(error).__name__}: {error})"
        finally:
            self._run_task = None
            self.run_model.end(outcome, reason)
            if self.state == "running":
                self._set_state("ready")
            self.busyChanged.emit(False)
            self.refresh_health()

    def _set_state(self, state: str) -> None:
        self.state = state
        self.stateChanged.emit(state)


def _settle_memory() -> None:
    """Exempt what is loaded by now (Qt, the pipeline, torch and the model: half a million objects) from
    the cyclic garbage collector. Otherwise every full collection walks them all on the GUI thread: a
    frozen frame of 100-300 ms now and then, in the middle of a run. (No collection first: that alone
    would be such a frame; the little garbage frozen with them is harmless.)"""
    gc.freeze()


def _warm(sandbox: Any) -> None:
    """Probe the isolation layer and pre-start workers now, not at the first run."""
    _ = sandbox.isolation
    warm = getattr(sandbox, "warm", None)
    if callable(warm):
        warm()
