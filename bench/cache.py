"""Cache hit latency at 1k, 10k and 100k entries, and the speed-up of a hit over a full verify.

    .venv/bin/python bench/cache.py [--sizes 1000,10000,100000] [--lookups 4000] [--verifies 20]
                                    [--backend auto|onnx|torch] [--out bench/results/cache.json]

Store: the default disk backend (diskcache + vector log) in a temp dir. Each size holds 50 real entries
(prompts from tests/cache/pairs.py, embedded with the real model) plus synthetic bulk entries of the
same size on disk (a 4-answer verify JSON each). Bulk vectors are not random: they are the real
embeddings of 200 prompt templates plus noise (cosine ~0.8 to their template, ~0.6 to each other), so
the index faces the crowding real coding prompts give, not the easy spread of random unit vectors.
- exact hit: `ResultCache.lookup_exact` on a reworded-by-whitespace/case stored prompt (normalise,
  hash, one read, JSON decode; no embedding), and the same through the async `lookup`;
- semantic hit: async `lookup` of a paraphrase of a stored prompt: exact miss, canonical text, real
  embedding of the query, index search, entry read, guard. The prompt memos (normalised text, guard
  features) are emptied before each one: a paraphrase arrives new, and the stored prompt's features may
  not be in memory either;
- speed-up: `verify_with_cache` end to end for a hit vs a full verify (no cache) with 4 local fake
  OpenAI-compatible providers (bench/fake_providers.py, answering after 50/100/150/200 ms over HTTP) and
  the real sandbox and judge. Real models take seconds, so this speed-up is a lower bound.
The embedder is the app's default (ONNX Runtime when the export is there, app/cache/embed_onnx.py);
`--backend torch` measures the sentence-transformers path instead (bench/embedder.py compares the two
backends alone). Prints a Markdown table and writes bench/results/cache.json (or --out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np

from app.cache.cache import ResultCache
from app.cache.canonical import embedding_text
from app.cache.commands import open_cache, verify_with_cache
from app.cache.disk_store import DiskStore
from app.cache.embedder import Embedder
from app.cache.entry import CacheContext, CacheEntry, ProviderIdentity, exact_key
from app.cache.guard import forget_prompts
from app.config.settings import CacheSettings, ProviderSettings, Settings
from app.core.pipeline import Pipeline
from app.sandbox.subprocess_backend import SubprocessSandbox
from tests.cache.conftest import verified_result
from tests.cache.pairs import NEAR_MISSES, PARAPHRASES, REWORDED

CONTEXT = CacheContext(providers=tuple(ProviderIdentity(f"p{i}", "openai", "fake") for i in range(4)))
LATENCIES_MS = [50, 100, 150, 200]
VERIFY_PROMPT = "Write a Python function `add(a, b)` that returns the sum of a and b."
VERIFY_PARAPHRASE = "Write a Python function `add(a, b)` which returns the sum of a and b."


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def summary(values_ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values_ms, 50), 3),
        "p99_ms": round(percentile(values_ms, 99), 3),
        "mean_ms": round(sum(values_ms) / len(values_ms), 3),
        "n": len(values_ms),
    }


def four_answers(prompt: str) -> dict[str, Any]:
    result = verified_result(prompt)
    result["answers"] = result["answers"] * 4
    return result


def bulk_vectors(embedder: Embedder, count: int, rng: np.random.Generator) -> np.ndarray:
    templates = [f"{stored} Variant about topic {n}." for n, (_, stored, _) in enumerate(NEAR_MISSES)]
    templates += [asked for _, asked in REWORDED]
    base = embedder.embed_many([embedding_text(text) for text in templates[:200]])
    rows = base[rng.integers(0, len(base), count)] + rng.standard_normal((count, base.shape[1])).astype(
        np.float32
    ) * np.float32(0.035)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def build(root: Path, size: int, embedder: Embedder, real: list[tuple[str, str]]) -> ResultCache:
    store = DiskStore(root, max_entries=size + 1000, max_size_mb=4096)
    cache = ResultCache(store, CacheSettings(), embedder=embedder)
    rng = np.random.default_rng(size)
    bulk = size - len(real)
    vectors = bulk_vectors(embedder, bulk, rng)
    fingerprint = CONTEXT.fingerprint()
    for start in range(0, bulk, 5000):
        entries = [
            CacheEntry(
                key=exact_key(f"Synthetic task {n}", CONTEXT),
                fingerprint=fingerprint,
                prompt=f"Synthetic task {n}",
                verdict="verified",
                result=verified_result(f"Synthetic task {n}"),
                models=["p0:fake"],
                vector=vectors[n],
            )
            for n in range(start, min(bulk, start + 5000))
        ]
        store.put_many(entries, ttl_s=None)
    for stored, _ in real:
        cache.put_blocking(four_answers(stored), CONTEXT)
    return cache


async def latencies(cache: ResultCache, real: list[tuple[str, str]], lookups: int) -> dict[str, Any]:
    cache.store.nearest(cache.embedder.embed("warm up"), CONTEXT.fingerprint(), threshold=0.95)  # type: ignore[union-attr]
    exact, exact_async, semantic, embed = [], [], [], []
    asked = [(f"  {stored.upper()[:1]}{stored[1:]}  ", paraphrase) for stored, paraphrase in real]
    semantic_hits = 0
    for n in range(lookups):
        stored, paraphrase = asked[n % len(asked)]
        started = time.perf_counter()
        found = cache.lookup_exact(stored, CONTEXT)
        exact.append((time.perf_counter() - started) * 1000)
        assert found is not None and found.kind == "exact"
        started = time.perf_counter()
        found_async = await cache.lookup(stored, CONTEXT)
        exact_async.append((time.perf_counter() - started) * 1000)
        assert found_async.kind == "exact"
    for n in range(max(len(asked), lookups // 4)):
        stored, paraphrase = asked[n % len(asked)]
        started = time.perf_counter()
        cache.embedder.embed(embedding_text(paraphrase))  # type: ignore[union-attr]
        embed.append((time.perf_counter() - started) * 1000)
        forget_prompts()
        started = time.perf_counter()
        found_semantic = await cache.lookup(paraphrase, CONTEXT)
        elapsed = (time.perf_counter() - started) * 1000
        if found_semantic.kind == "semantic":
            semantic.append(elapsed)
            semantic_hits += 1
    return {
        "exact_hit": summary(exact),
        "exact_hit_async": summary(exact_async),
        "semantic_hit": summary(semantic),
        "embedding_alone": summary(embed),
        "semantic_hit_rate": round(semantic_hits / max(len(asked), lookups // 4), 3),
    }


async def speedup(port: int, embedder: Embedder, runs: int, root: Path) -> dict[str, Any]:
    providers = [
        ProviderSettings(
            name=f"p{i}", kind="openai", model="fake", base_url=f"http://127.0.0.1:{port}/p{i}/v1"
        )
        for i in range(len(LATENCIES_MS))
    ]
    settings = Settings(providers=providers, cache=CacheSettings(path=str(root)))
    sandbox = SubprocessSandbox(pool_size=4)
    pipeline = await Pipeline.open(settings, sandbox=sandbox)
    cache = open_cache(settings, metrics=pipeline.metrics, sandbox=sandbox, embedder=embedder)
    full, exact, semantic = [], [], []
    try:
        first = await verify_with_cache(pipeline, cache, VERIFY_PROMPT)
        assert first.verdict == "verified", first.explanation
        for _ in range(runs):
            started = time.perf_counter()
            result = await verify_with_cache(pipeline, None, VERIFY_PROMPT)
            full.append((time.perf_counter() - started) * 1000)
            assert result.cache == "miss"
            started = time.perf_counter()
            hit = await verify_with_cache(pipeline, cache, VERIFY_PROMPT)
            exact.append((time.perf_counter() - started) * 1000)
            assert hit.cache == "exact"
            started = time.perf_counter()
            hit = await verify_with_cache(pipeline, cache, VERIFY_PARAPHRASE)
            semantic.append((time.perf_counter() - started) * 1000)
            assert hit.cache == "semantic", hit.cache
    finally:
        if cache is not None:
            cache.close()
        await pipeline.aclose()
    verify = summary(full)
    return {
        "providers_latency_ms": LATENCIES_MS,
        "full_verify": verify,
        "exact_hit_verify": summary(exact),
        "semantic_hit_verify": summary(semantic),
        "speedup_exact_p50": round(verify["p50_ms"] / percentile(exact, 50), 1),
        "speedup_semantic_p50": round(verify["p50_ms"] / percentile(semantic, 50), 1),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    embedder = Embedder(backend=args.backend)
    embedder.load()
    real = [(stored, asked) for stored, asked in PARAPHRASES[:50]]
    sizes: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            started = time.perf_counter()
            cache = build(Path(scratch) / f"n{size}", size, embedder, real)
            setup_s = time.perf_counter() - started
            sizes[str(size)] = {**(await latencies(cache, real, args.lookups)), "setup_s": round(setup_s, 1)}
            cache.close()
            print(f"{size}: done", file=sys.stderr)
        server = subprocess.Popen(
            [sys.executable, str(Path(__file__).parent / "fake_providers.py"), *map(str, LATENCIES_MS)],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            port = int(server.stdout.readline())
            speed = await speedup(port, embedder, args.verifies, Path(scratch) / "verify")
        finally:
            server.kill()
    return {
        "embedder_backend": embedder.backend,
        "embedder_dtype": embedder.dtype,
        "load_average": os.getloadavg(),
        "sizes": sizes,
        "verify": speed,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--sizes", type=lambda text: [int(part) for part in text.split(",")], default=[1000, 10000, 100000]
    )
    parser.add_argument("--lookups", type=int, default=4000)
    parser.add_argument("--verifies", type=int, default=20)
    parser.add_argument("--backend", choices=["auto", "onnx", "torch"], default="auto")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "cache.json")
    args = parser.parse_args()
    results = asyncio.run(run(args))
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    machine = f"{cpu}, {os.cpu_count()} cores, Linux {platform.release()}, Python {platform.python_version()}"
    out = args.out
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"machine": machine, **results}, indent=2))
    print(
        f"Machine: {machine}; embedding with {results['embedder_backend']} ({results['embedder_dtype']}); "
        f"disk store; load average {results['load_average'][0]:.1f} at the end\n"
    )
    print(
        "| entries | exact hit p50 | exact hit p99 | exact (async) p99 | semantic hit p50 | semantic hit p99 | embedding alone p50 / p99 |"
    )
    print("|---|---|---|---|---|---|---|")
    for size, row in results["sizes"].items():
        print(
            f"| {int(size):,} | {row['exact_hit']['p50_ms']:.3f} ms | {row['exact_hit']['p99_ms']:.3f} ms "
            f"| {row['exact_hit_async']['p99_ms']:.3f} ms | {row['semantic_hit']['p50_ms']:.2f} ms "
            f"| {row['semantic_hit']['p99_ms']:.2f} ms | {row['embedding_alone']['p50_ms']:.2f} / "
            f"{row['embedding_alone']['p99_ms']:.2f} ms |"
        )
    speed = results["verify"]
    print(
        f"\nFull verify, 4 fake providers ({speed['providers_latency_ms']} ms) + sandbox + judge: "
        f"p50 {speed['full_verify']['p50_ms']:.0f} ms. Through `verify_with_cache`: exact hit p50 "
        f"{speed['exact_hit_verify']['p50_ms']:.2f} ms ({speed['speedup_exact_p50']}x), semantic hit p50 "
        f"{speed['semantic_hit_verify']['p50_ms']:.2f} ms ({speed['speedup_semantic_p50']}x)."
    )
    print(f"\n{out}")


if __name__ == "__main__":
    main()
