"""Both embedder backends against sentence-transformers itself, and how the backend is chosen."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.cache.canonical import embedding_text
from app.cache.embed_onnx import COPIED_FILES, MANIFEST_FILE, MODEL_FILE, QUANTISED_FILE, export_problem
from app.cache.embedder import BACKEND_ENV, PRECISION_ENV, Embedder, EmbedderError, model_dir
from app.cache.onnx_export import main as export_main
from tests.cache.pairs import NEAR_MISSES, PARAPHRASES, REWORDED

ROOT = Path(__file__).resolve().parents[2]
EDGE_CASES = [
    "",
    "   ",
    "hi",
    "Écris une fonction qui trie une liste de dictionnaires par la clé « âge » 🙂",
    "Schreibe eine Funktion, die Umlaute (ä, ö, ü, ß) in ASCII umwandelt.",
    "写一个函数, 反转字符串。",
    "def f(x):\n\treturn [y ** 2 for y in x if y % 2 == 0]  # square the evens\n",
    "SELECT name, COUNT(*) FROM users GROUP BY name HAVING COUNT(*) > 1;",
    # Far past max_seq_length (256 tokens): both must truncate at the same place.
    " ".join(f"Step {n}: read the row, check the email column, then keep the rest." for n in range(80)),
]


def parity_prompts() -> list[str]:
    """Varied prompts (code tasks, data formats, languages, numbers, edge cases), raw and canonical."""
    texts = [text for _, first, second in NEAR_MISSES for text in (first, second)]
    texts += [text for pair in PARAPHRASES + REWORDED for text in pair]
    texts += [embedding_text(text) for text in texts[::3]]
    return list(dict.fromkeys([*texts, *EDGE_CASES]))


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    """sentence-transformers' own `encode` in float32: the vectors both backends must reproduce."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir()), device="cpu", local_files_only=True)
    prompts = parity_prompts()
    vectors = model.encode(prompts, batch_size=16, normalize_embeddings=True, convert_to_numpy=True)
    return prompts, np.asarray(vectors, dtype=np.float32)


@pytest.fixture(scope="module")
def onnx_float32_embedder(onnx_dir: Path) -> Embedder:
    model = Embedder(backend="onnx", onnx_dir=onnx_dir, precision="float32")
    model.load()
    return model


# Worst cosine allowed to sentence-transformers in float32, over the prompts and over the edge cases
# (empty, whitespace, one word: 8-bit weights move those most, 0.9975 measured for "").
BOUNDS = {"onnx": (0.999, 0.997), "onnx_float32": (0.9999, 0.9999), "torch": (0.999, 0.999)}


@pytest.mark.parametrize("variant", sorted(BOUNDS))
def test_vectors_match_sentence_transformers(
    variant: str, request: pytest.FixtureRequest, reference: tuple[list[str], np.ndarray]
) -> None:
    embedder: Embedder = request.getfixturevalue(f"{variant}_embedder")
    prompts, expected = reference
    assert len(prompts) >= 50
    vectors = embedder.embed_many(prompts, batch_size=16)
    assert embedder.backend == variant.split("_", maxsplit=1)[0]
    assert vectors.shape == (len(prompts), 384) and vectors.dtype == np.float32
    cosines = (vectors * expected).sum(axis=1)
    prompt_bound, edge_bound = BOUNDS[variant]
    for bound, rows in (
        (prompt_bound, [n for n, text in enumerate(prompts) if text not in EDGE_CASES]),
        (edge_bound, [n for n, text in enumerate(prompts) if text in EDGE_CASES]),
    ):
        worst = min(rows, key=lambda n: cosines[n])
        assert cosines[worst] >= bound, (prompts[worst][:80], float(cosines[worst]))


def test_int8_weights_keep_the_cache_decisions(
    onnx_embedder: Embedder, onnx_float32_embedder: Embedder
) -> None:
    """What the cache compares is the similarity of two prompts' canonical texts: 8-bit weights move
    it by a few thousandths at most, so only pairs that sit right at the 0.95 threshold cross it (about
    1% of the test sets' pairs; near-misses among them still meet the guard)."""
    assert onnx_embedder.dtype == "int8 weights" and onnx_float32_embedder.dtype == "float32"
    pairs = [(first, second) for _, first, second in NEAR_MISSES] + PARAPHRASES + REWORDED
    texts = [embedding_text(text) for pair in pairs for text in pair]
    shifts, crossings = [], []
    quantised, full = onnx_embedder.embed_many(texts), onnx_float32_embedder.embed_many(texts)
    for n in range(0, len(texts), 2):
        similarity, reference = float(quantised[n] @ quantised[n + 1]), float(full[n] @ full[n + 1])
        shifts.append(abs(similarity - reference))
        if (similarity >= 0.95) != (reference >= 0.95):
            crossings.append((texts[n], texts[n + 1], reference, similarity))
    assert max(shifts) < 0.006
    assert len(crossings) <= 0.02 * len(shifts), crossings


def test_onnx_alone_equals_batched(onnx_embedder: Embedder) -> None:
    """Padding to the longest text of a batch must not move any vector."""
    prompts = parity_prompts()[:40] + EDGE_CASES
    batched = onnx_embedder.embed_many(prompts, batch_size=32)
    alone = np.stack([onnx_embedder.embed(text) for text in prompts])
    assert (batched * alone).sum(axis=1).min() >= 0.99999
    assert np.allclose(np.linalg.norm(alone, axis=1), 1.0, atol=1e-5)


def test_onnx_path_never_imports_torch(onnx_dir: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from app.cache.embedder import Embedder\n"
        "embedder = Embedder(onnx_dir=Path(sys.argv[1]))\n"
        "vector = embedder.embed('Write a Python function that reverses a string.')\n"
        "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'torch', 'transformers', 'sentence_transformers'})\n"
        "print(embedder.backend, vector.shape[0], heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(onnx_dir)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "onnx 384 []", result.stdout + result.stderr


def test_auto_falls_back_to_torch_without_an_export(tmp_path: Path) -> None:
    embedder = Embedder(onnx_dir=tmp_path / "nothing here")
    assert embedder.backend is None
    embedder.load()
    assert embedder.backend == "torch"


def test_onnx_required_but_missing_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match=r"app\.cache\.onnx_export"):
        Embedder(backend="onnx", onnx_dir=tmp_path).load()


def test_backend_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BACKEND_ENV, "onnx")
    with pytest.raises(EmbedderError, match="unavailable"):
        Embedder(onnx_dir=tmp_path).load()
    monkeypatch.setenv(BACKEND_ENV, "tensorflow")
    with pytest.raises(EmbedderError, match=BACKEND_ENV):
        Embedder(onnx_dir=tmp_path).load()


def test_precision_from_environment(onnx_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PRECISION_ENV, "float32")
    full = Embedder(onnx_dir=onnx_dir)
    full.load()
    assert (full.backend, full.dtype) == ("onnx", "float32")
    monkeypatch.setenv(PRECISION_ENV, "int8")
    with pytest.raises(EmbedderError, match="int8 precision needs the ONNX backend"):
        Embedder(onnx_dir=tmp_path).load()  # no export: torch has no int8 model
    monkeypatch.setenv(PRECISION_ENV, "bfloat16")
    with pytest.raises(EmbedderError, match="bfloat16 precision needs the torch backend"):
        Embedder(backend="onnx", onnx_dir=onnx_dir).load()
    monkeypatch.setenv(PRECISION_ENV, "float16")
    with pytest.raises(EmbedderError, match=PRECISION_ENV):
        Embedder(onnx_dir=onnx_dir).load()


def _link_export(source: Path, target: Path) -> Path:
    """A copy of an export that shares the models (symlinks, not 150 MB)."""
    for name in (MANIFEST_FILE, *COPIED_FILES):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_bytes((source / name).read_bytes())
    for name in (MODEL_FILE, QUANTISED_FILE):
        (target / name).symlink_to(source / name)
    return target


def test_stale_or_broken_exports_are_refused(onnx_dir: Path, tmp_path: Path) -> None:
    copy = _link_export(onnx_dir, tmp_path / "export")
    assert export_problem(copy) is None
    manifest = json.loads((copy / MANIFEST_FILE).read_text())
    manifest["source"]["version"] = "0.0.1"
    (copy / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert "made from" in (export_problem(copy) or "")
    manifest["source"]["version"] = json.loads((onnx_dir / MANIFEST_FILE).read_text())["source"]["version"]
    manifest["onnx_bytes"] += 1
    (copy / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert "model.onnx is incomplete" in (export_problem(copy) or "")
    manifest["onnx_bytes"] -= 1
    manifest["quantised_bytes"] -= 1
    (copy / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert "model.q8.onnx is incomplete" in (export_problem(copy) or "")
    # In auto mode a broken export means torch, not an error.
    assert Embedder(onnx_dir=copy)._load_onnx(required=False, precision="auto") is None
    (copy / "tokenizer.json").unlink()
    assert "tokenizer.json is missing" in (export_problem(copy) or "")
    (copy / QUANTISED_FILE).unlink()
    assert "model.q8.onnx is missing" in (export_problem(copy) or "")
    manifest["source"]["format"] = 1  # an export from before the 8-bit model
    (copy / MANIFEST_FILE).write_text(json.dumps(manifest))
    assert "old format" in (export_problem(copy) or "")


def test_export_command_reports_and_skips_current_exports(
    onnx_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export_main([str(onnx_dir), "--check"]) == 0
    assert export_main([str(onnx_dir)]) == 0  # current: nothing is written, torch is not imported
    assert "current" in capsys.readouterr().out
    assert export_main([str(tmp_path / "none"), "--check"]) == 1
    assert not (tmp_path / "none").exists()
