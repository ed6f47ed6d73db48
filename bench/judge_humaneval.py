"""How well the judge picks the correct answer: HumanEval pools of 4 raw answers (see bench/judge_pools.py).

    .venv/bin/python bench/judge_humaneval.py [--limit N] [--compositions a,b] [--seed S] [--concurrency C]
                                              [--cli-sample N] [--rebuild]

Each pool goes through the judge's Python API (`JudgePool.from_json`, `await judge(pool, sandbox)`), `--concurrency`
pools at a time on one `SubprocessSandbox`; `--cli-sample` pools also go through `quorum judge POOL.json --json`
to check that the CLI reaches the same verdicts. The judge never sees the hidden tests; afterwards the winner is
checked against them (its ground-truth label, and its extracted code run on `check`). Per composition and
overall:

* selection accuracy: the winner is a correct candidate, over pools that contain one (no winner = miss);
* random baseline: the share of correct candidates in the pool, averaged over the same pools;
* false-verified: verdict "verified" with a wrong winner (or none), over all "verified" verdicts and over all pools;
* verified share: pools with verdict "verified" (for the easy pools, all_correct and three_one, that is the goal);
* ceiling: the share of pools with a correct candidate where the evidence a judge can see singles one out.
  From the judge's report: the candidates that pass all prompt examples (examples_passed == the largest
  examples_total in the pool), or all candidates when the judge parsed no examples from the prompt. Grouping
  those by ground-truth behaviour (all correct answers form one group; wrong answers group by variant), the
  pool is decidable when the correct group is among them and strictly larger than every wrong group among
  them. So a 2-vs-1-vs-1 split where the pair shares a mistake and the prompt has no examples is not decidable.
  Evidence outside this definition (a wrong answer crashing on generated inputs) can let a judge beat the
  ceiling, so selection / ceiling may exceed 1. The ceiling relies on the judge's own example parsing: the
  diagnostics count correct candidates that failed prompt examples (a parsing problem or a wrong docstring);
* misleading: the share of pools where the same rule singles out a *wrong* group (e.g. all_wrong with two
  answers sharing a mistake that passes the prompt's examples): a "verified" there cannot be avoided from
  visible evidence, so false-verified pools are also counted as avoidable (evidence was not misleading) or not;
* judge time per pool (wall clock around `judge(...)`, pools overlapping per `--concurrency`): median and p95.

Prints a Markdown table and writes bench/results/judge_humaneval.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.judge_pools import COMPOSITIONS, RESULTS, load_pools, load_problems
from bench.judge_verify import gather_limited, passes_hidden_tests

ROOT = Path(__file__).resolve().parents[1]
OUT = RESULTS / "judge_humaneval.json"
TARGETS = {
    "selection": 0.82,
    "of_ceiling": 0.97,
    "false_verified": 0.02,
    "easy_verified": 0.95,
    "median_ms": 1000,
}
EASY = ("all_correct", "three_one")


def _import_judge() -> tuple[Any, Any]:
    try:
        from app.judge import JudgePool, judge
    except ImportError as error:
        sys.exit(
            f"the judge API is not available ({error}); this benchmark needs `from app.judge import JudgePool, judge`"
        )
    return JudgePool, judge


def evidence(report: dict[str, Any], truth: dict[str, Any]) -> str:
    """What the visible evidence singles out: "correct", "wrong" or "none" (the ceiling rule, module docstring).

    "wrong": a wrong group passes all examples and is strictly larger than every other group that does; a
    "verified" verdict for it is a false one that no judge working from the prompt and agreement can avoid.
    """
    candidates = report["candidates"]
    total = max((c["examples_total"] for c in candidates), default=0)
    eligible = [c["index"] for c in candidates if total == 0 or c["examples_passed"] == total]
    sizes: dict[str, int] = {}
    for index in eligible:
        sizes[truth["group"][index]] = sizes.get(truth["group"][index], 0) + 1
    for group, size in sizes.items():
        if all(size > other for name, other in sizes.items() if name != group):
            return "correct" if group == "correct" else "wrong"
    return "none"


async def _judge_all(
    entries: list[dict[str, Any]], concurrency: int, pool_size: int, timeout_s: float
) -> list[dict[str, Any]]:
    from app.sandbox.subprocess_backend import SubprocessSandbox

    judge_pool, judge = _import_judge()
    sandbox = SubprocessSandbox(pool_size=pool_size)
    limit = asyncio.Semaphore(concurrency)
    problems = load_problems()
    done = 0

    async def one(entry: dict[str, Any]) -> dict[str, Any]:
        nonlocal done
        async with limit:
            started = time.perf_counter()
            try:
                report = (
                    await asyncio.wait_for(judge(judge_pool.from_json(entry["pool"]), sandbox), timeout_s)
                ).to_json()
                error = None
            except Exception as exc:  # a judge crash is a result to report
                report, error = None, f"{type(exc).__name__}: {exc}"[:300]
            elapsed_ms = (time.perf_counter() - started) * 1000
        done += 1
        if done % 50 == 0:
            print(f"  judged {done}/{len(entries)}", file=sys.stderr)
        return _record(entry, report, error, elapsed_ms)

    try:
        records = await asyncio.gather(*(one(entry) for entry in entries))
        # Winners' extracted code on the hidden tests, after all timing is done.
        checks = [
            (r, passes_hidden_tests(sandbox, r["winner_code"], problems[r["task_id"]], with_prompt=True))
            for r in records
            if r["winner_code"]
        ]
        results = await gather_limited(asyncio.Semaphore(4), [c for _, c in checks])
        for (record, _), passed in zip(checks, results, strict=True):
            record["winner_code_passes"] = passed
    finally:
        await sandbox.aclose()
    return records


def _record(
    entry: dict[str, Any], report: dict[str, Any] | None, error: str | None, elapsed_ms: float
) -> dict[str, Any]:
    truth = entry["truth"]
    winner = report["winner"]["index"] if report and report["winner"] else None
    record: dict[str, Any] = {
        "id": entry["id"],
        "task_id": entry["task_id"],
        "composition": entry["composition"],
        "n_correct": sum(truth["correct"]),
        "groups": truth["group"],
        "error": error,
        "time_ms": round(elapsed_ms, 1),
        "verdict": report["verdict"] if report else "error",
        "confidence": report["confidence"] if report else None,
        "winner": winner,
        "winner_correct": winner is not None and truth["correct"][winner],
        "winner_code": report["candidates"][winner]["code"] if report and winner is not None else None,
        "winner_code_passes": None,
        "clusters": report["clusters"] if report else None,
        "candidates": [
            {k: c[k] for k in ("status", "examples_passed", "examples_total")} for c in report["candidates"]
        ]
        if report
        else None,
        "evidence": evidence(report, truth) if report else "none",
    }
    record["decidable"] = record["evidence"] == "correct"
    return record


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def metrics(records: list[dict[str, Any]]) -> dict[str, Any]:
    with_correct = [r for r in records if r["n_correct"] > 0]
    verified = [r for r in records if r["verdict"] == "verified"]
    false_verified = [r for r in verified if not r["winner_correct"]]
    selection = _ratio(sum(r["winner_correct"] for r in with_correct), len(with_correct))
    ceiling = _ratio(sum(r["decidable"] for r in with_correct), len(with_correct))
    times = [r["time_ms"] for r in records if r["error"] is None]
    verdicts: dict[str, int] = {}
    for r in records:
        verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
    return {
        "pools": len(records),
        "pools_with_correct": len(with_correct),
        "selection_accuracy": selection,
        "random_baseline": _ratio(
            sum(r["n_correct"] / len(r["groups"]) for r in with_correct), len(with_correct)
        ),
        "ceiling": ceiling,
        "selection_of_ceiling": _ratio(selection or 0.0, ceiling or 0.0) if selection is not None else None,
        "selection_when_decidable": _ratio(
            sum(r["winner_correct"] for r in with_correct if r["decidable"]),
            sum(r["decidable"] for r in with_correct),
        ),
        "verified_share": _ratio(len(verified), len(records)),
        "false_verified_of_verified": _ratio(len(false_verified), len(verified)),
        "false_verified_of_pools": _ratio(len(false_verified), len(records)),
        "misleading_share": _ratio(sum(r["evidence"] == "wrong" for r in records), len(records)),
        "avoidable_false_verified": sum(r["evidence"] != "wrong" for r in false_verified),
        "verdicts": verdicts,
        "median_ms": statistics.median(times) if times else None,
        "p95_ms": _percentile(times, 95) if times else None,
        "judge_errors": sum(r["error"] is not None for r in records),
    }


def diagnostics(records: list[dict[str, Any]], entries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    failing_examples, not_ok = [], []
    for r in records:
        for index, c in enumerate(r["candidates"] or []):
            if not entries[r["id"]]["truth"]["correct"][index]:
                continue
            if c["examples_total"] and c["examples_passed"] < c["examples_total"]:
                failing_examples.append(f"{r['id']}#{index}")
            if c["status"] != "ok":
                not_ok.append(f"{r['id']}#{index}:{c['status']}")
    mismatch = [
        r["id"]
        for r in records
        if r["winner_code_passes"] is not None and r["winner_code_passes"] != r["winner_correct"]
    ]
    return {
        "correct_candidates_failing_prompt_examples": len(failing_examples),
        "correct_candidates_failing_prompt_examples_sample": sorted(
            set(x.rsplit("/", 1)[0] for x in failing_examples)
        )[:40],
        "correct_candidates_not_ok": len(not_ok),
        "correct_candidates_not_ok_sample": not_ok[:20],
        "winner_label_vs_hidden_test_mismatch": mismatch[:40],
        "false_verified_pools": [
            r["id"] for r in records if r["verdict"] == "verified" and not r["winner_correct"]
        ][:60],
        "judge_errors": [f"{r['id']}: {r['error']}" for r in records if r["error"]][:20],
    }


def cli_check(
    entries: list[dict[str, Any]], records: dict[str, dict[str, Any]], sample: int, seed: int
) -> dict[str, Any]:
    """Run `sample` pools through `quorum judge POOL.json --json` and compare with the API's verdicts."""
    if sample <= 0:
        return {"skipped": "--cli-sample 0"}
    exe = ROOT / ".venv" / "bin" / "quorum"
    argv = [str(exe)] if exe.exists() else [sys.executable, "-m", "app"]
    env = os.environ | {"HF_HUB_OFFLINE": "1"}
    probe = subprocess.run([*argv, "judge", "--help"], capture_output=True, text=True, env=env, check=False)
    if probe.returncode != 0:
        message = "`quorum judge` is not available yet; CLI check skipped"
        print(message, file=sys.stderr)
        return {"skipped": message}
    picked = random.Random(f"cli:{seed}").sample(entries, min(sample, len(entries)))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for entry in picked:
            path = Path(tmp) / "pool.json"
            path.write_text(json.dumps(entry["pool"]), encoding="utf-8")
            started = time.perf_counter()
            done = subprocess.run(
                [*argv, "judge", str(path), "--json"], capture_output=True, text=True, env=env, check=False
            )
            elapsed = (time.perf_counter() - started) * 1000
            api = records[entry["id"]]
            try:
                out = json.loads(done.stdout)
                verdict, winner = out["verdict"], out["winner"]["index"] if out["winner"] else None
            except (ValueError, KeyError, TypeError):
                verdict, winner = f"cli error (exit {done.returncode}): {done.stderr.strip()[-200:]}", None
            rows.append(
                {
                    "id": entry["id"],
                    "api": [api["verdict"], api["winner"]],
                    "cli": [verdict, winner],
                    "same": [api["verdict"], api["winner"]] == [verdict, winner],
                    "cli_ms": round(elapsed, 1),
                }
            )
    return {"pools": len(rows), "same": sum(r["same"] for r in rows), "rows": rows}


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def table(per: dict[str, dict[str, Any]]) -> str:
    head = (
        "| composition | pools | selection | random | ceiling | sel/ceiling | verified | false-verified "
        "(of verified) | false-verified (of pools) | misleading | median ms | p95 ms |"
    )
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, m in per.items():
        lines.append(
            f"| {name} | {m['pools']} | {_fmt(m['selection_accuracy'])} | {_fmt(m['random_baseline'])} | "
            f"{_fmt(m['ceiling'])} | {_fmt(m['selection_of_ceiling'])} | {_fmt(m['verified_share'])} | "
            f"{_fmt(m['false_verified_of_verified'])} | {_fmt(m['false_verified_of_pools'])} | "
            f"{_fmt(m['misleading_share'])} | "
            f"{_fmt(m['median_ms'], 0)} | {_fmt(m['p95_ms'], 0)} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="first N HumanEval problems (default: all 164)"
    )
    parser.add_argument("--compositions", default=",".join(COMPOSITIONS), help="comma-separated subset")
    parser.add_argument("--seed", type=int, default=0, help="pool generation seed")
    parser.add_argument("--concurrency", type=int, default=2, help="pools judged at the same time")
    parser.add_argument("--pool-size", type=int, default=2, help="pre-started sandbox workers")
    parser.add_argument(
        "--cli-sample", type=int, default=10, help="pools also run through `quorum judge` (0: none)"
    )
    parser.add_argument(
        "--pool-timeout", type=float, default=120.0, help="seconds before a pool counts as an error"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="regenerate the pools instead of using the cache"
    )
    args = parser.parse_args()
    wanted = [c.strip() for c in args.compositions.split(",") if c.strip()]
    unknown = set(wanted) - set(COMPOSITIONS)
    if unknown:
        parser.error(f"unknown compositions: {', '.join(sorted(unknown))} (known: {', '.join(COMPOSITIONS)})")
    _import_judge()  # fail early, before building pools

    data = load_pools(args.limit, args.seed, args.rebuild)
    entries = [e for e in data["pools"] if e["composition"] in wanted]
    print(f"judging {len(entries)} pools from {len(data['problems'])} problems ...", file=sys.stderr)
    started = time.perf_counter()
    records = asyncio.run(_judge_all(entries, args.concurrency, args.pool_size, args.pool_timeout))
    wall_s = time.perf_counter() - started
    by_id = {r["id"]: r for r in records}
    per = {c: metrics([r for r in records if r["composition"] == c]) for c in wanted}
    per = {c: m for c, m in per.items() if m["pools"]}
    per["overall"] = metrics(records)
    easy = [r for r in records if r["composition"] in EASY]
    easy_verified = _ratio(sum(r["verdict"] == "verified" for r in easy), len(easy))
    overall = per["overall"]
    checks = {
        "selection >= 0.82": (overall["selection_accuracy"] or 0) >= TARGETS["selection"],
        "selection/ceiling >= 0.97": (overall["selection_of_ceiling"] or 0) >= TARGETS["of_ceiling"],
        "false-verified <= 0.02": (overall["false_verified_of_verified"] or 0) <= TARGETS["false_verified"],
        "easy pools verified >= 0.95": (easy_verified or 0) >= TARGETS["easy_verified"],
        "median judge time < 1 s": (overall["median_ms"] or 1e9) < TARGETS["median_ms"],
    }
    cli = cli_check(entries, by_id, args.cli_sample, args.seed)
    output = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}",
        "seed": args.seed,
        "problems": len(data["problems"]),
        "concurrency": args.concurrency,
        "pool_size": args.pool_size,
        "wall_seconds": round(wall_s, 1),
        "metrics": per,
        "easy_verified": easy_verified,
        "targets": checks,
        "cli_check": cli,
        "diagnostics": diagnostics(records, {e["id"]: e for e in entries}),
        "pools": [{k: v for k, v in r.items() if k != "winner_code"} for r in records],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(output, indent=1), encoding="utf-8")

    print(
        f"\n{len(records)} pools, {len(data['problems'])} HumanEval problems, seed {args.seed}, "
        f"concurrency {args.concurrency}, {wall_s:.0f} s\n"
    )
    print(table(per))
    print(f"\neasy pools (all_correct, three_one) verified: {_fmt(easy_verified)}")
    for name, ok in checks.items():
        print(f"  [{'x' if ok else ' '}] {name}")
    if "skipped" in cli:
        print(f"\nCLI check: {cli['skipped']}")
    else:
        print(f"\nCLI check: {cli['same']}/{cli['pools']} pools give the same verdict and winner as the API")
    diag = output["diagnostics"]
    print(
        f"correct candidates failing prompt examples: {diag['correct_candidates_failing_prompt_examples']}; "
        f"correct candidates not ok: {diag['correct_candidates_not_ok']}; "
        f"winner label vs hidden-test mismatches: {len(diag['winner_label_vs_hidden_test_mismatch'])}; "
        f"judge errors: {overall['judge_errors']}; false-verified not explained by misleading evidence: "
        f"{overall['avoidable_false_verified']}"
    )
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
