"""The guard: may a cached answer to one prompt be served for another whose embedding is close?

Embeddings cannot tell `snake_case to camelCase` from `camelCase to snake_case` (0.997 with MiniLM), so
similarity only proposes; the guard decides. It compares what each prompt names, class by class
(features.py), and rejects on any difference:
- the values named in a class (types, languages, formats, polarity words, identifiers, quoted strings,
  code, ...), where a class with a default (the language: Python) counts the default when none is named;
- what the answer is: a yes/no verdict (`check if ... contains duplicates`) or things found (`return
  the duplicates`);
- the numbers, as a multiset and in order (`shape (3, 4)` vs `(4, 3)`);
- the number of negations (`repeating` vs `non-repeating`, `using` vs `without using`), and what each
  negates (`readable but not writable` vs the reverse);
- order and quantity (guard_order.py): names, quoted strings and class members in another order
  (`s in t` vs `t in s`), `a pair` vs `all pairs`, `each word` vs `the words`, what is returned;
- roles around direction words (`A to B` vs `B to A`): a thing that is the source in one prompt and the
  target in the other;
- the words on either side of `to`/`into`/`from` (`status codes to reason phrases` vs the reverse), and
  the order of the quoted strings (`'foo' with 'bar'` vs `'bar' with 'foo'`);
- a word in one prompt whose negated form (`sorted`/`unsorted`, `valid`/`invalid`) is in the other;
- a content word swapped for another (`the names of people` vs `the ages of people`), after the request
  wording is made canonical: paraphrases add or drop words, a different question replaces one.
  An action only one prompt names (`removes`) against a word only the other has (`counts`) is a swap too,
  and so is an action against a reading verb only the other has (`delete a branch` vs `fetch a branch`).
A rejection is a miss, never an error: the guard errs towards asking the models again.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from app.cache.canonical import canonical_parts
from app.cache.features import Features, extract_features
from app.cache.free_words import ELABORATIONS, FREE_WORDS
from app.cache.guard_order import answer_reasons, both_compare, order_reasons, show
from app.cache.lexicon import CLASSES
from app.cache.text import normalize_prompt, plain_prose

__all__ = ["GuardResult", "check_prompts", "compare_features", "forget_prompts"]

_GENERIC_TYPES = frozenset({"number", "string", "sentence", "file", "class"})
_ELEMENT_TYPES = frozenset({"number", "character"})
_TEXT_PARTS = frozenset({"character", "letter", "word", "sentence"})
# Loose classes whose value, named by one prompt only, is still the action it asks for (`removes`).
_ACTION_CLASSES = frozenset({"mutation"})
_BOTH_ENDS = frozenset({"start", "end"})
_NEGATING_PREFIXES = ("non", "un", "in", "im", "ir", "il", "dis")


@dataclass(frozen=True)
class GuardResult:
    ok: bool
    reasons: tuple[str, ...] = ()

    @property
    def reason_kinds(self) -> tuple[str, ...]:
        """The class of each reason (`type`, `numbers`, `negation`, `direction`...), for metrics."""
        return tuple(reason.split(":", 1)[0] for reason in self.reasons)


def forget_prompts() -> None:
    """Empty the memos of prompt features and wording (benchmarks time prompts as if seen first)."""
    extract_features.cache_clear()
    canonical_parts.cache_clear()
    normalize_prompt.cache_clear()
    plain_prose.cache_clear()


def check_prompts(new: str, cached: str) -> GuardResult:
    return compare_features(extract_features(new), extract_features(cached))


def compare_features(a: Features, b: Features) -> GuardResult:
    reasons, loose_a, loose_b = _class_reasons(a, b)
    reasons.extend(order_reasons(a, b) + answer_reasons(a, b))
    if a.negations != b.negations:
        reasons.append(f"negation: {a.negations} vs {b.negations} negations")
    for key in sorted(a.roles.keys() & b.roles.keys()):
        if not a.roles[key] & b.roles[key]:
            role_a, role_b = "/".join(sorted(a.roles[key])), "/".join(sorted(b.roles[key]))
            reasons.append(f"direction: {key[1]} is {role_a} vs {role_b}")
    reasons.extend(_swapped_links(a, b))
    swapped_out, swapped_in = a.sources & b.targets, a.targets & b.sources
    if swapped_out and swapped_in:  # `status codes to reason phrases` vs `reason phrases to status codes`
        reasons.append(f"direction: {show(swapped_out)} to {show(swapped_in)} vs the reverse")
    reasons.extend(_wording(a, b, loose_a, loose_b))
    reasons.extend(_read_vs_change(a, b, loose_a, loose_b) + _read_vs_change(b, a, loose_b, loose_a))
    for word, base in _negated_pairs(a.words, b.words) + _negated_pairs(b.words, a.words):
        reasons.append(f"negation: {word!r} vs {base!r}")
    return GuardResult(not reasons, tuple(reasons))


def _class_reasons(a: Features, b: Features) -> tuple[list[str], list[str], list[str]]:
    """Class-by-class differences; and the values of action classes only one prompt names (compared
    as wording: `counts` vs `removes`)."""
    reasons: list[str] = []
    loose_a: list[str] = []  # values of loose classes only one prompt names: compared as wording
    loose_b: list[str] = []
    for cls in sorted(set(a.terms) | set(b.terms)):
        term_class = CLASSES.get(cls)
        default = {term_class.default} if term_class is not None and term_class.default else set()
        left = set(a.terms.get(cls, ())) or _default(cls, a, default)
        right = set(b.terms.get(cls, ())) or _default(cls, b, default)
        if left == right:
            continue
        if term_class is not None and term_class.loose and not (left and right):
            if cls in _ACTION_CLASSES:
                loose_a.extend(sorted(left))
                loose_b.extend(sorted(right))
            continue
        if cls == "identifier":
            # A name one prompt marks (`interface named User`) and the other only mentions (`a User`).
            left = {name for name in left if name.lower() not in b.words}
            right = {name for name in right if name.lower() not in a.words}
            if not left and not right:
                continue
        if cls == "position" and _trims_both_ends(a, b, left, right):
            continue
        if cls == "type":
            # `pandas: rename a column` vs `... in a pandas DataFrame`: the type both libraries imply.
            implied = _library_types(a) & _library_types(b)
            left, right = left - implied, right - implied
            if left == right or _implied_type(left, right):
                continue
        reasons.append(f"{cls}: {show(left)} vs {show(right)}")
    return reasons, loose_a, loose_b


def _trims_both_ends(a: Features, b: Features, left: set[str], right: set[str]) -> bool:
    """`trim whitespace` vs `strip leading and trailing whitespace`: trimming is at both ends."""
    trimmed = "trim" in a.terms.get("mutation", ()) and "trim" in b.terms.get("mutation", ())
    return trimmed and {frozenset(left), frozenset(right)} == {frozenset(), _BOTH_ENDS}


def _swapped_links(a: Features, b: Features) -> list[str]:
    """`tabs with spaces` vs `spaces with tabs`; `sorted by start` vs `sorted by end` when both prompts
    name both: the same words around the same link word, in other places."""
    words_a, words_b = a.tokens, b.tokens
    for first, link, second in sorted(a.links - b.links):
        if (second, link, first) in b.links:
            return [f"direction: {first} {link} {second} vs {second} {link} {first}"]
        for other_first, other_link, other_second in b.links - a.links:
            if (
                (other_first, other_link) == (first, link)
                and second in words_b
                and other_second in words_a
                and (other_second, second) not in b.pairs  # `in a Python dict` vs `in a dict in Python`
                and (second, other_second) not in a.pairs
            ):
                return [f"direction: {first} {link} {second} vs {first} {link} {other_second}"]
    return []


_CHANGES = frozenset(value for cls in _ACTION_CLASSES for value in CLASSES[cls].terms)


def _read_vs_change(a: Features, b: Features, loose_a: list[str], loose_b: list[str]) -> list[str]:
    """An action one prompt names (`delete`) against a reading verb only the other has (`fetch`)."""
    reads = sorted(b.reads - a.reads)
    actions = [value for value in loose_a if value in _CHANGES]
    if actions and not loose_b and reads:
        return [f"action: {show(actions)} vs {show(reads)}"]
    return []


def _wording(first: Features, second: Features, loose_a: list[str], loose_b: list[str]) -> list[str]:
    """Content words (canonical wording, lexicon words aside): one swapped for another (`names` vs
    `ages`), one added that paraphrases do not add (`the length of the longest` vs `the longest`), or
    the same words in another arrangement (`strips tags but keeps text` vs `strips text but keeps tags`)."""
    a, b = first.content, second.content
    only_a = sorted({word for word in a if not any(_related(word, other) for other in b)})
    only_b = sorted({word for word in b if not any(_related(word, other) for other in a)})
    # A value of a loose class one prompt names (`removes`) counts against a word only the other has
    # (`counts`): one action swapped for another. Named alone, it is a detail paraphrases add.
    swap_a = [word for word in only_a + loose_a if not any(_related(word, other) for other in loose_b)]
    swap_b = [word for word in only_b + loose_b if not any(_related(word, other) for other in loose_a)]
    # `make` vs `convert`: two words paraphrases use for the same step. A loose class's value (`remove`)
    # is an action, never free.
    every_free = not (loose_a or loose_b) and all(word in FREE_WORDS for word in swap_a + swap_b)
    if (only_a or only_b) and swap_a and swap_b and not every_free:
        return [f"wording: {show(swap_a)} vs {show(swap_b)}"]
    added = [word for word in only_a + only_b if word not in FREE_WORDS and word not in ELABORATIONS]
    if added:
        return [f"wording: {show(added)} only in one"]
    if both_compare(first, second):
        return []  # `X vs Y` and `Y vs X`: the same comparison
    moved = _moved(a, b)
    # `the message of the last commit` vs `the last commit message`: one prompt's `X of Y` is the other's
    # compound. Only when the other has no `of` to turn (`the sum of the squares` vs `the square of the
    # sum` keeps its order).
    one_turns = (first.compound != a) != (second.compound != b)
    if moved and one_turns and not _moved(first.compound, second.compound):
        return []
    return moved


def _moved(a: tuple[str, ...], b: tuple[str, ...]) -> list[str]:
    """The word-order part of `_wording`: a word followed by different shared words in each."""
    a, b = tuple(w for w in a if w not in _FLOATING), tuple(w for w in b if w not in _FLOATING)
    for word, follows in _successors(a).items():
        other = _successors(b).get(word)
        if other is None or follows & other:
            continue
        moved = sorted(w for w in follows if w in b) + sorted(w for w in other if w in a)
        if len(moved) >= 2:
            return [f"wording: after {word!r}: {show(sorted(follows))} vs {show(sorted(other))}"]
    return []


def _default(cls: str, features: Features, default: set[str]) -> set[str]:
    """The value a prompt that names none means: Python for the language, unless the prompt calls a
    shell command or works `from the command line` (bash), or names a library of one language (`React`:
    JavaScript)."""
    if cls != "language":
        return default
    if features.words & _SHELL_COMMANDS or features.pairs & _SHELL_PLACES:
        return {"bash"}
    implied = {
        _LIBRARY_LANGUAGES[name] for name in features.terms.get("library", ()) if name in _LIBRARY_LANGUAGES
    }
    return implied if len(implied) == 1 else default


# `React: render a list` is a JavaScript task though it names no language.
_LIBRARY_LANGUAGES = {
    **dict.fromkeys(("react", "vue", "angular", "jquery", "express", "lodash"), "javascript"),
    **dict.fromkeys(("tokio", "serde"), "rust"),
    **dict.fromkeys(("boost", "stl"), "cpp"),
    "linq": "csharp",
}

# `from the command line`, `in a terminal` (pairs skip articles); not `command-line arguments`.
_SHELL_PLACES = frozenset({("from", "command"), ("on", "command"), ("at", "command"), ("in", "terminal")})
_SHELL_COMMANDS = frozenset(
    {"sed", "awk", "gawk", "grep", "egrep", "xargs", "chmod", "chown", "lsof", "netstat", "rsync", "scp"}
    | {"wget", "curl", "crontab", "systemctl", "journalctl"}
)


def _library_types(features: Features) -> set[str]:
    return {_LIBRARY_TYPES[name] for name in features.terms.get("library", ()) if name in _LIBRARY_TYPES}


_LIBRARY_TYPES = {"pandas": "dataframe", "polars": "dataframe"}


def _implied_type(left: set[str], right: set[str]) -> bool:
    """`every prime below 100` vs `prime numbers`, `camelCase` vs `a camelCase string`: a generic type
    one prompt names where the other names no type at all."""
    named = left or right
    if not (left and right):
        return named <= _GENERIC_TYPES
    # `whitespace` vs `whitespace characters`, `a list` vs `a list of numbers`: what the one prompt's
    # container or text is made of, said by one only.
    if not (left < right or right < left):
        return False
    # `escape special characters` vs `escape special characters in a string`: the text they are in.
    return (left ^ right) <= _ELEMENT_TYPES or (
        left ^ right == {"string"} and bool(left & right & _TEXT_PARTS)
    )


# Topic words a paraphrase moves anywhere (`a local git branch`, `a local branch in git`): not part of
# the arrangement the word-order check compares.
_FLOATING = frozenset(
    {"git", "github", "docker", "linux", "bash", "shell", "npm", "pip", "kubernete", "kubectl", "regex"}
    | {"algorithm", "method", "library", "module", "package", "command", "query", "code", "program"}
)


def _successors(words: tuple[str, ...]) -> dict[str, set[str]]:
    following: dict[str, set[str]] = {}
    for first, second in itertools.pairwise(words):
        if first != second:
            following.setdefault(first, set()).add(second)
    return following


def _related(a: str, b: str) -> bool:
    """Forms of one word (`convert`/`conversion`, `parse`/`parser`): the shorter is a prefix of the
    longer, or they share six letters or more and most of the shorter (`PYTHONPATH` is not
    `PYTHONHOME`)."""
    if a.endswith(("less", "free")) != b.endswith(("less", "free")):  # `password`, `passwordless`
        return False
    first, second = sorted((a, b), key=len)
    if second.startswith(first) and second[len(first) :] in _COMPOUND_TAILS:
        return False  # `time` / `timezone`, `file` / `filename`, `data` / `database`: other things
    root_a, root_b = _root(a), _root(b)
    short, long = sorted((root_a, root_b), key=len)
    common = next((n for n, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    if common == len(short) and len(short) < 4 and short != long:
        # A short root (`dat` of `date`) is a prefix of many words: `date` is not `data`, `cut` is `cutting`.
        return second.startswith(first)
    return common == len(short) or (common >= 6 and common >= 0.7 * len(short))


# Words that make a compound of the word before them (`timezone`, `filename`): not a form of it.
_COMPOUND_TAILS = frozenset(
    {"zone", "ignore", "stamp", "name", "names", "space", "base", "set", "sets", "word", "words", "file"}
    | {"files", "path", "paths", "box", "list", "map", "type", "types", "key", "keys", "frame", "table"}
)


def _root(word: str) -> str:
    """`merging` -> `merg`, `joined` -> `join`, `merge` -> `merg`: enough to pair forms of a word."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _negated_pairs(words: frozenset[str], other: frozenset[str]) -> list[tuple[str, str]]:
    """(`unsorted`, `sorted`) when one prompt has a negated word and only the other has its base."""
    pairs = []
    for word in words - other:
        for prefix in _NEGATING_PREFIXES:
            base = word[len(prefix) :]
            if word.startswith(prefix) and len(base) >= 4 and base in other and base not in words:
                pairs.append((word, base))
    return pairs
