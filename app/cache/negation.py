"""What a negation in a prompt negates, and the `or not` that is no negation at all."""

from __future__ import annotations

from app.cache.relations import stem
from app.cache.token_words import NEGATION_SKIP

__all__ = ["negated_word", "or_not"]


def or_not(tokens: list[tuple[str, str, int]], index: int) -> bool:
    """`whether a file exists or not`, `whether or not it exists`: the question, not a negation."""
    if tokens[index][1].lower() != "not" or index == 0 or tokens[index - 1][1].lower() != "or":
        return False
    closing = index + 1 == len(tokens) or tokens[index + 1][0] in ("punct", "paren")
    return closing or (index >= 2 and tokens[index - 2][1].lower() == "whether")


def negated_word(tokens: list[tuple[str, str, int]], index: int) -> str:
    """The first content word after a negation (`not divisible`, `do not end`, `isn't active`)."""
    for position in range(index + 1, min(index + 5, len(tokens))):
        lower = tokens[position][1].lower()
        if lower not in NEGATION_SKIP:
            # With the number that follows it, if any: `not divisible by 3` vs `not divisible by 5`.
            nearby = [raw for kind, raw, _ in tokens[position + 1 : position + 4] if kind == "number"]
            return " ".join([stem(lower), *nearby[:1]])
    return ""
