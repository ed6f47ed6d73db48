"""What in a prompt decides its answer, extracted as typed tokens for the guard to compare.

A prompt becomes a stream of items: class members from the lexicon (types, languages, polarity words...),
numbers, quoted strings, identifiers, code, negations and direction connectives (`to`, `into`, `from`,
`->`). A connective gives roles to the members around it (`CSV to JSON`: csv is the source, json the
target), so the guard can tell `A to B` from `B to A` even when both name the same things.
"""

from __future__ import annotations

import functools
import re

from app.cache.canonical import answer_kind, content_sequences, explanation, lead_verb, read_verbs
from app.cache.feature_items import Builder, Features, Item
from app.cache.lexicon import (
    CASE_SENSITIVE,
    CONNECTIVES,
    FILLERS,
    NEGATIONS,
    NUMBER_WORDS,
    PHRASES,
)
from app.cache.negation import negated_word, or_not
from app.cache.numbers import article_one, number_run, number_value
from app.cache.relations import assign_roles, is_plural, links, sides, stem
from app.cache.text import Segment, plain_prose, segments
from app.cache.token_words import (
    A_AFTER,
    A_BEFORE,
    ACRONYMS,
    AFTER_LETTER_NAME,
    GO_VERB_AFTER,
    LANGUAGE_AFTER,
    LANGUAGE_BEFORE,
    LETTER_NAMED,
    LIST_OBJECTS,
    LIST_OPENERS,
    LIST_VERBS,
    NAMING,
    NOT_COUNTS,
    NOT_NAMES,
    ONE_IDIOMS,
    SET_OBJECTS,
)

__all__ = ["Features", "extract_features"]

_TOKEN = re.compile(
    r"""
     (?P<regex>(?<!\S)(?:\^\S+|\S*(?:\\\S|\[[^\]\s]+\])\S*|\S+(?<=[^\d\s])\$)(?<![.,;:!?)]))
    |(?P<bigo>\b[Oo]\([^()\n]{1,24}\))
    |(?P<signature>\b[A-Za-z_]\w*\(\s*\*{0,2}[A-Za-z_]\w*(?:\s*,\s*\*{0,2}[A-Za-z_]\w*){0,8}\s*\))
    |(?P<tag></?[A-Za-z][\w-]*\s*/?>)
    |(?P<typed>\b[A-Za-z_]\w*(?:<[\w\s,.?\[\]]{1,40}>|\[\])+)
    |(?P<pattern>(?<![\w-])[A-Za-z0-9]+(?:[-/:][A-Za-z0-9]+){2,}(?![\w-]))
    |(?P<flag>(?<![\w-])--?[A-Za-z][\w-]*)
    |(?P<ordinal>\b\d+(?:st|nd|rd|th)\b)
    |(?P<dims>(?<![\w.])(?!0x)\d+[x\u00d7]\d+\b)
    |(?P<number>(?<![\w.])[-+]?(?:\d+(?:[,_]\d{3})*(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?(?![\d_])(?=[A-Za-z]*\b))
    |(?P<word>[^\W\d_]\w*(?:\.[^\W\d_]\w*)*(?:\+\+|\#|['\u2019][^\W\d_]+)?|_\w+)
    |(?P<arith>\*\*|//|(?<=\d)\s*[*%^]\s*(?=\d)|(?<=\d\s)[*%^](?=\s\d))
    |(?P<equality>(?<![=!<>:])(?:===|!==|:=|=)(?![=>]))
    |(?P<op>>=|<=|==|!=|->|=>|[<>≤≥≠→%])
    |(?P<paren>\()
    |(?P<punct>[.,;:!?\n])
    """,
    re.VERBOSE,
)
_CODE_TOKEN = re.compile(
    r"(?P<doc>\"\"\".*?\"\"\"|'''.*?''')"
    r"|(?P<comment>(?:\#|//)[^\n]*)"
    r"|(?P<string>\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*')"
    r"|(?P<token>\w+|[^\s\w])",
    re.DOTALL,
)
_MAX_PHRASE = 4
_CAPITAL_LETTER = re.compile(r"(?<![\w'-])[ABD-HJ-QS-Z](?![\w'-])")  # not `C`, `R` (languages), `I`
_PHRASE_STARTS = frozenset(key[0] for key in (*PHRASES, *FILLERS))
# `find all pairs` vs `find a pair`: how many of a thing are asked for.
_EVERY = re.compile(r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+)?([A-Za-z]+)", re.IGNORECASE)
_EACH = re.compile(r"\b(?:each|every)\s+([A-Za-z]+)", re.IGNORECASE)
_SINGLE = re.compile(r"\b(?:(?:a|an|one)\s+(?:single\s+)?|single\s+)([A-Za-z]+)", re.IGNORECASE)
_ROUND_UP_DOWN = re.compile(r"\bround(?:s|ed|ing)?\s+(?:\S+\s+){1,4}?(up|down)\b", re.IGNORECASE)
# `return the pair` vs `return the difference`: what is handed back.
_RETURNS = re.compile(r"\breturns?\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+)?([A-Za-z]+)", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def extract_features(prompt: str) -> Features:
    builder = Builder()
    for segment in segments(prompt):
        _add_segment(builder, segment)
    assign_roles(builder.items)
    terms: dict[str, set[str]] = {}
    roles: dict[tuple[str, str], set[str]] = {}
    numbers: list[str] = []
    content, compound = content_sequences(prompt)
    for item in builder.items:
        if item.kind == "number":
            numbers.append(item.key[1])
        elif item.kind != "feature":
            continue
        else:
            terms.setdefault(item.key[0], set()).add(item.key[1])
        if item.roles:
            roles.setdefault(item.key, set()).update(item.roles)
    return Features(
        terms={cls: frozenset(values) for cls, values in terms.items()},
        numbers=tuple(numbers),
        roles={key: frozenset(value) for key, value in roles.items()},
        negations=builder.negations,
        words=frozenset(builder.words),
        links=frozenset(builder.links),
        content=content,
        compound=compound,
        tokens=frozenset(builder.tokens),
        pairs=frozenset(builder.pairs),
        sources=frozenset(builder.sources - builder.targets),
        targets=frozenset(builder.targets - builder.sources),
        literals=tuple(item.text for item in builder.items if item.key[0] == "quoted"),
        persons=tuple(
            person for n, person in enumerate(builder.persons) if builder.persons[n - 1 : n] != [person]
        ),
        answer=answer_kind(prompt),
        sequence=tuple(dict.fromkeys(item.key for item in builder.items if item.kind == "feature")),
        reads=read_verbs(prompt),
        lead=lead_verb(prompt),
        explains=explanation(prompt),
        every=frozenset(builder.every),
        single=frozenset(builder.single),
        each=frozenset(builder.each),
        returned=tuple(builder.returned),
        negated=tuple(sorted(builder.negated)),
        names=tuple(item.text for item in builder.items if item.key[0] == "identifier"),
    )


def _add_segment(builder: Builder, segment: Segment) -> None:
    if segment.kind == "prose":
        _add_prose(builder, segment.content)
    elif segment.kind == "quote":
        builder.feature("quoted", segment.content)
    elif segment.kind == "inline":
        _add_inline(builder, segment.content)
    else:
        _add_code(builder, segment.content)


def _add_inline(builder: Builder, code: str) -> None:
    """Inline code: its names are identifiers, its literals numbers and strings, as in prose calls. An
    arrow (`f(13) -> 3`, `-> u32`) says what comes back, as `returns` does: not an operator."""
    for match in _CODE_TOKEN.finditer(re.sub(r"->|=>", " ", code)):
        text = match.group(0)
        if match.lastgroup == "string":
            builder.feature("quoted", text[1:-1])
        elif match.lastgroup == "token" and re.fullmatch(r"\d+(?:\.\d+)?", text):
            builder.items.append(Item("number", text, ("number", number_value(text))))
        elif match.lastgroup == "token" and re.fullmatch(r"[^\W\d]\w*", text):
            builder.feature("identifier", text)
        elif match.lastgroup == "token" and text in "<>=!+-*/%":
            builder.feature("operator", text)


def _add_code(builder: Builder, code: str) -> None:
    """A code block must match token for token; its docstrings and comments are compared as prose."""
    tokens: list[str] = []
    for match in _CODE_TOKEN.finditer(code):
        kind, text = match.lastgroup, match.group(0)
        if kind == "doc":
            tokens.append('"""')
            builder.boundary()
            _add_prose(builder, text[3:-3])
        elif kind == "comment":
            builder.boundary()
            _add_prose(builder, text.lstrip("#/"))
        else:
            tokens.append(text)
    builder.boundary()
    if tokens:
        builder.feature("code", " ".join(tokens))
    builder.boundary()


def _add_prose(builder: Builder, text: str) -> None:
    text = plain_prose(text)
    found, pairs = links(text)
    builder.links.update(found)
    source, target = sides(text)
    builder.sources.update(source)
    builder.targets.update(target)
    builder.pairs.update(pairs)
    builder.tokens.update(stem(word) for word in re.findall(r"[\w+#]+", text.lower()))
    # Plural after `all`, singular after `a`: `all the text` or `a text file` say nothing of how many.
    builder.every.update(stem(noun.lower()) for noun in _EVERY.findall(text) if is_plural(noun.lower()))
    builder.single.update(noun.lower() for noun in _SINGLE.findall(text) if not is_plural(noun.lower()))
    builder.each.update(noun.lower() for noun in _EACH.findall(text) if not is_plural(noun.lower()))
    builder.returned.extend(noun.lower() for noun in _RETURNS.findall(text))
    for direction in _ROUND_UP_DOWN.findall(text):  # `round a float up to the nearest integer`
        builder.feature("rounding", "ceil" if direction.lower() == "up" else "floor")
    letters = set(re.findall(r"(?<![\w'-])([b-hj-z])(?![\w'-])", text))
    # Two letters or more (`s` and `t`, `a` and `b`): variables. One alone (`the nth`, `x-axis`) is not.
    builder.letter_b = builder.letter_b or "b" in letters
    builder.variables = builder.variables or len(letters) >= 2 or builder.letter_b
    builder.capitals = builder.capitals or bool(_CAPITAL_LETTER.search(text))
    tokens = [(match.lastgroup or "", match.group(0), match.end()) for match in _TOKEN.finditer(text)]
    index = 0
    while index < len(tokens):
        index = _take(builder, tokens, index, text)


def _take(builder: Builder, tokens: list[tuple[str, str, int]], index: int, text: str) -> int:
    """Turn the token at `index` (and maybe the next few) into items; returns the next index."""
    kind, raw, end = tokens[index]
    lower = raw.lower()
    if kind in ("punct", "paren"):
        builder.boundary()
        return index + 1
    if _literal(builder, kind, raw):
        return index + 1
    call = text[end : end + 1] == "("
    previous = tokens[index - 1][1].lower() if index else ""
    following = tokens[index + 1][1].lower() if index + 1 < len(tokens) else "."
    if kind == "word" and _word_seen(builder, raw, previous, following):
        return index + 1
    taken = _plain_word(builder, tokens, index) or (0 if call else _phrase(builder, tokens, index, text))
    if taken:
        return index + taken
    if kind == "number" or (kind == "word" and lower in NUMBER_WORDS):
        return number_run(builder, tokens, index)
    if kind == "op" or lower in CONNECTIVES:
        builder.items.append(Item("conn" if lower in CONNECTIVES else "word", lower))
        return index + 1
    negation = lower in NEGATIONS or lower.endswith(("n't", "n\u2019t"))
    if kind == "word" and negation and not or_not(tokens, index):
        builder.negations += 1
        builder.negated.append(negated_word(tokens, index))
        return index + 1
    if kind == "word" and (call or _named(raw, previous) or _looks_like_identifier(raw)):
        builder.feature("identifier", raw)
    else:
        builder.items.append(Item("word", lower))
    return index + 1


def _literal(builder: Builder, kind: str, raw: str) -> bool:
    """Tokens compared as written; True when `raw` was one."""
    # Compared exactly, in order: a pattern (`YYYY-MM-DD`, `HH:MM:SS`), a command-line flag (`cp -r` is
    # not `cp -p`), a type as code writes it (`int[]`, `List<Integer>`), a regex written in the prose
    # (`[A-Z]\w+`, `^\s+`), an assignment or strict equality operator.
    if kind in ("pattern", "flag", "typed", "equality", "regex", "tag", "arith"):
        builder.feature("identifier", raw.strip())
        return True
    if kind == "signature":  # `clamp(value, min, max)`: the name and its parameters, in their order
        builder.feature("identifier", re.sub(r"\s+", "", raw))
        builder.params.update(re.findall(r"\w+", raw[raw.index("(") :]))
        return True
    if kind == "bigo":
        builder.feature("complexity", re.sub(r"\s+", "", raw[2:-1]).lower())
        return True
    if kind == "dims":  # `a 3x3 matrix` is `a 3 by 3 matrix`
        for size in re.split("[x\u00d7]", raw):
            builder.items.append(Item("number", "", ("number", number_value(size))))
        return True
    if kind == "ordinal":
        builder.feature("ordinal", str(int(re.sub(r"\D", "", raw))))
        return True
    return False


def _word_seen(builder: Builder, raw: str, previous: str, following: str) -> bool:
    """Note a prose word; True when it is a letter naming something (`list A`, `set b is`), taken as a
    name. A small letter only before a verb or a joint: `set a timeout` is an article."""
    lower = raw.lower()
    builder.words.add(lower)
    if lower in ("i", "me"):
        builder.persons.append(lower)
    mid_sentence = previous not in ("", ".", "!", "?", ":", "\n")
    # `A minus B`, `from A to B`; but `in C`, `a C implementation` name the language where no other
    # capital letter stands alone.
    language = raw in ("C", "R") and not builder.capitals
    capital = raw.isupper() and raw != "I" and mid_sentence and not language
    named = previous in LETTER_NAMED and (raw.isupper() or following in AFTER_LETTER_NAME)
    # `subtract b from a`, `n factorial`: a small letter other than the article and `i` is a variable;
    # `a` too where `b` is one and `a` sits where an operand does (`a divided by b`, `from a`).
    variable = raw.islower() and raw not in ("a", "i") and builder.variables
    operand = raw == "a" and builder.letter_b and (following in A_BEFORE or previous in A_AFTER)
    if (len(raw) == 1 and (capital or named or variable or operand)) or raw in builder.params:
        builder.items.append(Item("feature", raw, ("identifier", raw)))
        return True
    return False


def _named(raw: str, previous: str) -> bool:
    """The word after `named`/`called`/`def`/`class` is a name, unless it is an ordinary word (`a class
    called Person`, `a class in Python`); after `class`, only a capitalised one."""
    if previous not in NAMING or raw.lower() in NOT_NAMES:
        return False
    return previous != "class" or raw[:1].isupper()


def _plain_word(builder: Builder, tokens: list[tuple[str, str, int]], index: int) -> int:
    """Words that look like class members or counts but are not here: `lists all files` (the verb,
    not the type), `into a single list` / `into one list` (no count); and `over 18` is a comparison."""
    lower = tokens[index][1].lower()
    previous = tokens[index - 1][1].lower() if index else ""
    following = tokens[index + 1][1].lower() if index + 1 < len(tokens) else ""
    if lower in ("over", "under") and index + 1 < len(tokens) and tokens[index + 1][0] == "number":
        builder.feature("compare", "gt" if lower == "over" else "lt")  # `users over 18`
        return 1
    # `exactly one of`, `only one of`: a count all the same.
    counted = previous in ("exactly", "only", "just", "least", "most", "than")
    idiom = lower == "one" and not counted and (following in ONE_IDIOMS or article_one(tokens, index))
    plural = is_plural(following) and previous in LIST_OPENERS
    verb = lower in LIST_VERBS and (following in LIST_OBJECTS or plural)
    verb = verb or (lower == "set" and following in SET_OBJECTS)
    if verb or (lower, previous) in NOT_COUNTS or idiom:
        builder.items.append(Item("word", lower))
        return 1
    return 0


def _phrase(builder: Builder, tokens: list[tuple[str, str, int]], index: int, text: str) -> int:
    """Longest lexicon phrase starting at `index`: adds its feature, returns how many tokens it used."""
    if tokens[index][1].lower() not in _PHRASE_STARTS:  # most words: no phrase to try
        return 0
    for size in range(min(_MAX_PHRASE, len(tokens) - index), 0, -1):
        window = tokens[index : index + size]
        if any(kind in ("punct", "paren", "bigo", "pattern") for kind, _, _ in window):
            continue
        key = tuple(raw.lower() for _, raw, _ in window)
        if key in FILLERS:
            return size
        found = PHRASES.get(key)
        if found is None:
            continue
        if size == 1 and (found[0], key[0]) in CASE_SENSITIVE and not _spelled(tokens, index, found[0], text):
            continue
        builder.feature(*found)
        return size
    return 0


_TOPIC_MARK = re.compile(r"\s*(?::|-\s)")  # `Go: ...`, `TS - ...`


def _spelled(tokens: list[tuple[str, str, int]], index: int, cls: str, text: str) -> bool:
    raw = tokens[index][1]
    before = tokens[index - 1][1].lower() if index else ""
    after = tokens[index + 1][1].lower() if index + 1 < len(tokens) else ""
    # `how do I reverse a string in go`: lower case, but where only a language can stand.
    closing = cls == "language" and before == "in" and after in ("", ".", "?", "!", "which", "that", "using")
    if raw not in CASE_SENSITIVE[(cls, raw.lower())] and not closing:
        return False
    if cls != "language" or (raw in ("Go", "GO", "TS") and after not in GO_VERB_AFTER):
        return True  # `Explain Go channels`: capitalised, only the language (`Go through the list` aside)
    # `Go: how do I ...`: a language named as the prompt's topic.
    return (
        before in LANGUAGE_BEFORE
        or after in LANGUAGE_AFTER
        or (index == 0 and _TOPIC_MARK.match(text, tokens[0][2]) is not None)
    )


def _looks_like_identifier(word: str) -> bool:
    if word in ACRONYMS:
        return False
    if "_" in word.strip("_") or "." in word or any(char.isdigit() for char in word):
        return True
    if re.search(r"[a-z][A-Z]", word):
        return True
    return word.isupper() and 2 <= len(word) <= 6
