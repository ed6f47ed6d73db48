"""Numbers in a prompt as the guard compares them: digits and number words as one value (`twenty-one`,
`3 million`, `a hundred`), versions kept as written (`18.10` is not `18.1`)."""

from __future__ import annotations

import re

from app.cache.feature_items import Builder, Item
from app.cache.lexicon import NUMBER_WORDS, PHRASES
from app.cache.token_words import SCALES

__all__ = ["article_one", "number_run", "number_value"]


def number_run(builder: Builder, tokens: list[tuple[str, str, int]], index: int) -> int:
    """A number in digits or words (`twenty-one`, `3 million`, `a hundred`), as one value."""
    kind, raw, _ = tokens[index]
    following = tokens[index + 1][1].lower() if index + 1 < len(tokens) else ""
    if kind == "number":
        previous = tokens[index - 1][1].lower() if index else ""
        if previous in _NUMBERED and raw.isdigit():  # `column 2` is `the second column`
            builder.feature("ordinal", str(int(raw)))
            return index + 1
        scale = NUMBER_WORDS.get(following, 0) if following in SCALES else 0
        number = number_value(str(float(number_value(raw)) * scale)) if scale else number_value(raw)
        builder.items.append(Item("number", "", ("number", number)))
        if not scale and _unit_suffix(builder, tokens, index):
            return index + 2
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


# Things counted from 1 whose number says which one: `column 2`, `line 10`, `page 3`.
_NUMBERED = frozenset(
    {"column", "row", "line", "field", "page", "chapter", "argument", "arg", "parameter", "param"}
)

# Letters written onto a number that name no lexicon unit: `10s` is seconds, `500m` (millicores, or
# minutes) is not `500`, `5m` is not `5h`.
_SUFFIX_UNITS = {"s": "second", "h": "hour", "hr": "hour", "d": "day", "w": "week"}


def _unit_suffix(builder: Builder, tokens: list[tuple[str, str, int]], index: int) -> bool:
    """Record the letters glued to the number at `index` as its unit; True when there were some."""
    if index + 1 >= len(tokens) or tokens[index + 1][0] != "word":
        return False
    suffix, end = tokens[index + 1][1], tokens[index + 1][2]
    if (
        end - len(suffix) != tokens[index][2]
        or (suffix.lower(),) in PHRASES
        or suffix.lower() in ("am", "pm")
    ):
        return False  # a separate word, a unit the lexicon reads (`10ms`, `2GB`), or a time (`9am`)
    builder.feature("unit", _SUFFIX_UNITS.get(suffix.lower(), suffix.lower()))
    return True


def number_value(raw: str) -> str:
    if re.fullmatch(r"\d+\.\d*[1-9]0+", raw):  # `18.10`, `3.10`: versions, where `.10` is not `.1`
        return raw
    value = float(raw.replace(",", "").replace("_", ""))
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def article_one(tokens: list[tuple[str, str, int]], index: int) -> bool:
    """`read one line`, `sort by one field`: `one` as `a`, not a count the other prompt must repeat
    (`one or more`, `one to ten`, `one more` stay counts; `two lines` vs `one line` still differ)."""
    if index + 1 >= len(tokens) or tokens[index + 1][0] != "word":
        return False
    following = tokens[index + 1][1].lower()
    # A noun right after it; `one matching document` (vs `all matching documents`) stays a count.
    noun = not following.endswith(("s", "ing", "ed")) or following.endswith("ss")
    return noun and following not in _ONE_COUNTS and following not in NUMBER_WORDS


_ONE_COUNTS = frozenset(
    {"or", "and", "to", "through", "thru", "till", "until", "from", "with", "more", "less", "fewer"}
)
