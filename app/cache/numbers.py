"""Numbers in a prompt as the guard compares them: digits and number words as one value (`twenty-one`,
`3 million`, `a hundred`), versions kept as written (`18.10` is not `18.1`)."""

from __future__ import annotations

import re

from app.cache.feature_items import Builder, Item
from app.cache.lexicon import NUMBER_WORDS
from app.cache.token_words import SCALES

__all__ = ["number_run", "number_value"]


def number_run(builder: Builder, tokens: list[tuple[str, str, int]], index: int) -> int:
    """A number in digits or words (`twenty-one`, `3 million`, `a hundred`), as one value."""
    kind, raw, _ = tokens[index]
    following = tokens[index + 1][1].lower() if index + 1 < len(tokens) else ""
    if kind == "number":
        scale = NUMBER_WORDS.get(following, 0) if following in SCALES else 0
        number = number_value(str(float(number_value(raw)) * scale)) if scale else number_value(raw)
        builder.items.append(Item("number", "", ("number", number)))
        return index + (2 if scale else 1)
    total, current, position = 0, 0, index
    while position < len(tokens):
        lower = tokens[position][1].lower()
        if (
            lower == "and"
            and index < position < len(tokens) - 1
            and tokens[position + 1][1].lower() in NUMBER_WORDS
        ):
            position += 1
            continue
        if tokens[position][0] != "word" or lower not in NUMBER_WORDS:
            break
        value = NUMBER_WORDS[lower]
        if value == 100:
            current = (current or 1) * 100
        elif lower in SCALES:
            total, current = total + (current or 1) * value, 0
        else:
            current += value
        position += 1
    builder.items.append(Item("number", "", ("number", str(total + current))))
    return max(position, index + 1)


def number_value(raw: str) -> str:
    if re.fullmatch(r"\d+\.\d*[1-9]0+", raw):  # `18.10`, `3.10`: versions, where `.10` is not `.1`
        return raw
    value = float(raw.replace(",", "").replace("_", ""))
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
