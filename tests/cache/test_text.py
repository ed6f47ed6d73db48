"""Exact-match normalisation and the embedding text: what may and may not be merged."""

from __future__ import annotations

import pytest

from app.cache.canonical import embedding_text
from app.cache.entry import CacheContext, ProviderIdentity, exact_key
from app.cache.text import normalize_prompt, segments
from tests.cache.conftest import CONTEXT


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Write a function that reverses a string.", "  write a function   that reverses\na string "),
        ("Reverse a string.", "Reverse a string"),
        ("Sort it. Then return it!", "sort it. then return it"),
        ("Count 'the' words", "count 'the' words"),
    ],
)
def test_same_normal_form(first: str, second: str) -> None:
    assert normalize_prompt(first) == normalize_prompt(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Count 'The' in a text", "Count 'the' in a text"),  # inside quotes: case matters
        ('Split on "a  b"', 'Split on "a b"'),  # inside quotes: whitespace matters
        ("Use `isPalindrome`", "Use `ispalindrome`"),  # inline code
        ("Write isPalindrome(s)", "Write ispalindrome(s)"),  # identifiers keep their case
        ("Use MAX_LEN as the limit", "Use max_len as the limit"),
        ("Parse JSON", "Parse json"),  # acronyms are kept (the semantic path may still match them)
        ("Use Counter(words)", "Use counter(words)"),  # a call: the name keeps its case
        ("Run:\n```python\nif x:\n    y()\n```", "Run:\n```python\nif x:\ny()\n```"),  # indentation is code
        ("Reverse a string?", "Reverse a string?!?x"),
    ],
)
def test_different_normal_form(first: str, second: str) -> None:
    assert normalize_prompt(first) != normalize_prompt(second)


def test_segments_keep_apostrophes_in_prose() -> None:
    kinds = [segment.kind for segment in segments("Don't count the users' 'admin' role")]
    assert kinds == ["prose", "quote", "prose"]


def test_a_python_stub_is_one_code_segment() -> None:
    stub = 'def f(x):\n    """Return x."""\n'
    assert [segment.kind for segment in segments(stub)] == ["code"]


def test_exact_key_depends_on_prompt_and_context() -> None:
    other = CacheContext(
        providers=(ProviderIdentity("alpha", "openai", "model-a"),), tests="assert f(1) == 1"
    )
    assert exact_key("Reverse a string.", CONTEXT) == exact_key("reverse a string", CONTEXT)
    assert exact_key("Reverse a string.", CONTEXT) != exact_key("Reverse a list.", CONTEXT)
    assert exact_key("Reverse a string.", CONTEXT) != exact_key("Reverse a string.", other)


def test_context_fingerprint_ignores_provider_order_and_secrets() -> None:
    a = ProviderIdentity("a", "openai", "m", "https://api.example.com/v1")
    b = ProviderIdentity("b", "groq", "n")
    assert CacheContext((a, b)).fingerprint() == CacheContext((a, b)).fingerprint()
    assert CacheContext((a, b)).fingerprint() != CacheContext((a,)).fingerprint()


def test_context_for_run_drops_credentials_from_urls() -> None:
    from app.config.settings import ProviderSettings, Settings

    provider = ProviderSettings(
        name="p", kind="openai", model="m", base_url="https://user:secret@host.example/v1"
    )
    context = CacheContext.for_run(Settings(), [provider])
    assert context.providers[0].host == "https://host.example/v1"
    assert "secret" not in repr(context)


def test_embedding_text_unifies_request_wording() -> None:
    assert embedding_text(
        "Create a function that determines whether a given number is prime."
    ) == embedding_text("Write a function to check if a number is prime")
    assert embedding_text("How do I reverse a string in Python?") == embedding_text("Reverse a string.")
    assert embedding_text("Write a Rust function that reverses a vector.").startswith(
        "write a rust function:"
    )
    # quoted text and code are untouched
    assert "'Determines If'" in embedding_text("Print 'Determines If' twice.")
