"""Verbs of a request said one way for the canonical wording (canonical.py): `list` the verb, `set` the
verb, split verbs (`pull ... out`), `make a request`, `how does X work`, `null if ...`."""

from __future__ import annotations

import re

from app.cache.token_words import LIST_OBJECTS, LIST_OPENERS, SET_OBJECTS

__all__ = ["plain_verbs"]

# `list all files` asks for them as `return all files` does; `a list` (the type) is left alone.
_LIST_VERB = re.compile(
    rf"\blist(?:s|ing)?\b(?=\s+(?:{'|'.join(sorted(LIST_OBJECTS))})\b)"
    r"|(?:^|(?<=:)" + "".join(rf"|(?<=\b{word})" for word in sorted(LIST_OPENERS - {"", ":"})) + r")"
    r"\s*\blist\b(?=\s+[a-z]+[^s\W]s\b)",
    re.I,
)


def _list_verb(match: re.Match[str]) -> str:
    """`list` the verb -> `return`, keeping the space before it."""
    return match[0][: len(match[0]) - len(match[0].lstrip())] + "return"


# `How does Dijkstra's algorithm work?` asks to `explain Dijkstra's algorithm`.
_HOW_IT_WORKS = re.compile(r"\bhow\s+(?:does|do)\s+(.{1,80}?)\s+work\b", re.IGNORECASE)
# `return null if the list is empty`: a condition (`when`), not the question `whether`.
_CONDITION_IF = re.compile(r"\b(null|none|nil|true|false|zero|otherwise|\d+)\s+if\b", re.IGNORECASE)
# `set the upstream branch` (the verb) stays a content word; `a set` is the type, a lexicon word.
_SET_VERB = re.compile(rf"\bset(?=\s+(?:{'|'.join(sorted(SET_OBJECTS))})\b)", re.IGNORECASE)
# `order a list from smallest to largest`: `sort` it (`in order`, `the order of` are the noun).
_OBJECT = r"(?=\s+(?:a|an|the|my|this|these|it|them)\b)"  # a verb's object follows
_ORDER_VERB = re.compile(r"(?<!\bin )\border" + _OBJECT, re.IGNORECASE)
# `start an HTTP server`, `start a command in the background`: `run` it (`the start of a line` stays).
_START_VERB = re.compile(r"\bstart(?:s|ing|ed)?" + _OBJECT, re.IGNORECASE)
# `change a column's name`: `rename a column`.
_CHANGE_NAME = re.compile(r"\bchange\s+(?:the\s+|a\s+|an\s+|its\s+)?([a-z]+\s+)?name\b", re.IGNORECASE)
# `make an HTTP GET request`, `send a GET request`: the request; the verb adds nothing.
_MAKE_REQUEST = re.compile(
    r"\b(?:make|makes|making|do|does|doing|send|sends|sending|perform|performs|performing)\s+((?:(?:a|an|the|some)\s+)?(?:[\w.-]+\s+){0,3}(?:request|call)s?"
    r"|(?:an?\s+)?http\s+(?:get|post|put|patch|delete|head))\b",
    re.IGNORECASE,
)
# Verbs split around their object: `pull every number out` is `extract every number`.
_SEPARATED_VERBS = {
    ("pull", "out"): "extract",
    ("filter", "out"): "remove",
    ("throw", "away"): "discard",
    ("cut", "down"): "truncate",
}
_SEPARATED = re.compile(
    r"\b(pull|filter|throw|cut)\s+((?:(?!out\b|away\b|down\b)[\w'-]+\s+){1,4}?)(out|away|down)\b(\s+of\b)?",
    re.IGNORECASE,
)


def _joined_verb(match: re.Match[str]) -> str:
    """`pull every number out of a string` -> `extract every number from a string`."""
    verb = _SEPARATED_VERBS.get((match[1].lower(), match[3].lower()))
    if verb is None:  # `filter a list down to the even ones`: no joined verb to say it with
        return match[0]
    return f"{verb} {match[2]}{'from' if match[4] else ''}".rstrip()


def plain_verbs(text: str) -> str:
    """`text` (prose, before lexicon and synonyms) with the verbs above rewritten."""
    text = _LIST_VERB.sub(_list_verb, text)
    text = _CHANGE_NAME.sub(lambda m: f"rename {m.group(1) or ''}", text)
    text = _ORDER_VERB.sub("sort", text)
    text = _START_VERB.sub("run", text)
    text = _SET_VERB.sub("change", text)
    text = _CONDITION_IF.sub(r"\1 when", text)
    text = _HOW_IT_WORKS.sub(r"explain \1", text)
    text = _MAKE_REQUEST.sub(r"\1", text)
    return _SEPARATED.sub(_joined_verb, text)
