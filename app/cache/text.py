"""Splitting a prompt into prose, quoted strings and code, and the exact-match normal form.

The exact path must never merge two prompts that can have different answers, so normalisation is
conservative: whitespace is collapsed and capitalised prose words are lowercased, but quoted strings,
inline code, code blocks and any word that may be an identifier (`isPalindrome`, `MAX_LEN`, `JSON`)
keep their exact spelling.
"""

from __future__ import annotations

import ast
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = ["Segment", "SegmentKind", "normalize_prompt", "plain_prose", "segments"]

SegmentKind = Literal["prose", "quote", "inline", "code"]

_FENCE = re.compile(r"```[ \t]*([\w+#.-]*)[^\n]*\n(.*?)(?:^[ \t]*```[ \t]*$|\Z)", re.DOTALL | re.MULTILINE)
# Quotes only open after a non-word character, so apostrophes (don't, users') never open one.
_SPAN = re.compile(
    r"(?P<inline>`[^`\n]+`)"
    r"|(?P<dq>\"[^\"\n]{0,400}\")"
    r"|(?P<cdq>“[^”\n]{0,400}”)"
    r"|(?P<sq>(?<![\w'])'(?=\S)[^'\n]{0,400}(?<=\S)'(?!\w))"
    r"|(?P<psq>(?<![\w'])'[^\w'\n]{1,12}'(?!\w))"  # separators: `', '`, `' | '`, `' '`
    "|(?P<csq>(?<!\\w)\u2018[^\u2019\n]{0,400}\u2019)"
    # A signature or call written without backticks (`write lcs(a, b) that ...`) is inline code all
    # the same: its names compare as they would between backticks.
    r"|(?P<bare>(?<![\w`.'\"])(?:(?:func|fn|def|static|public|async|void|int|bool|boolean)\s+)*"
    r"[A-Za-z_]\w*\([^()\n]{1,120}\)(?:\s*->\s*[\w\[\]<>&]+(?:<[\w\s,]+>)?)?(?![\w(]))"
)
_CAPITALISED = re.compile(r"(?<![\w.])[A-Z][a-z]+\b(?![.(]\w|\()")
_CODE_MARKERS = ("(", "=", "def ", "import ", "class ", ">>>")


_BLANKS = r"(?:whitespaces?|white\s+space|spaces?|blanks?|newlines?|tabs?|line\s+breaks?)\b"
_PLAIN = (
    (re.compile(r"\b(?:e\.g|i\.e|etc|vs)\.", re.IGNORECASE), " "),
    (re.compile(r"\b(ca)n['\u2019]t\b", re.IGNORECASE), r"\1nnot"),
    (re.compile(r"\b(w)on['\u2019]t\b", re.IGNORECASE), r"\1ill not"),
    (re.compile(r"(?<=[a-z])n['\u2019]t\b", re.IGNORECASE), " not"),
    (re.compile(r"(?<=[A-Za-z])['\u2019]s\b"), ""),  # possessive: `a file's hash` is `a file hash`
    (re.compile(r"\bone\s+([a-z]+)\s+at\s+a\s+time\b", re.IGNORECASE), r"\1 by \1"),  # not a count
    (re.compile(r"\bstd::(?=[a-z_])"), ""),  # C++'s `std::string` is the string type, not a statistic
    # `strip` trims the ends of whitespace (`strip trailing spaces`); `strip punctuation` or `strip out`
    # anything takes all of it: `remove`.
    (re.compile(r"\bstrip(?:s|ping|ped)?\s+out\b", re.IGNORECASE), "remove"),
    # An example written `f(153) == True` says what `f` returns: no comparison is asked for.
    (re.compile(r"(?:^|(?<=\)))\s*==\s*"), " returns "),
    # `appear more than once` is `duplicated`; `has no keys` is `is empty`; `without losing` is `keeping`.
    (
        re.compile(r"\b(?:appears?|appearing|occurs?|occurring)\s+more\s+than\s+once\b", re.IGNORECASE),
        "duplicated",
    ),
    (
        re.compile(
            r"\bhas\s+no\s+(?:keys|elements|items|entries|values|members|properties)\b", re.IGNORECASE
        ),
        "is empty",
    ),
    (re.compile(r"\bwithout\s+losing\b", re.IGNORECASE), "keeping"),
    # `What does 2>&1 mean?` asks its meaning (the verb, not the statistic).
    (
        re.compile(r"\b(?:does|do)\s+(.{1,60}?)\s+mean(?=\s*[?.!]|\s*$|\s+in\b)", re.I),
        r"is the meaning of \1",
    ),
    # `ignoring spaces and case`: `ignoring case and spaces`, so the case phrase reads as one.
    (
        re.compile(r"\b(ignor(?:e|es|ing))\s+([\w-]+(?:\s+[\w-]+){0,2}?)\s+and\s+(?:letter\s+)?case\b", re.I),
        r"\1 case and \2",
    ),
    # Container types written as code in prose read as their words: `a Vec<f64>` is `a vector of f64`,
    # `a byte[]` a `byte array`, Go's `[]int` an `int slice`, `a 2D array` a `two-dimensional array`.
    (re.compile(r"\b(Vec|List|Set|Promise|Option|Array)<(\w+)>(?![\w<>])"), r"\1 of \2"),
    (
        re.compile(r"\b(int|char|byte|long|double|float|short|bool|boolean|string|String)\[\](?!\w)"),
        r"\1 array",
    ),
    (re.compile(r"(?<![\w\]])\[\](int|byte|string|float64|rune|bool)\b"), r"\1 slice"),
    (re.compile(r"\b2[dD]\b"), "two-dimensional"),
    (re.compile(rf"\bstrip(?:s|ping|ped)?\b(?!(?:\s+[\w'-]+){{0,3}}?\s+{_BLANKS})", re.IGNORECASE), "remove"),
)


@functools.lru_cache(maxsize=4096)
def plain_prose(text: str) -> str:
    """Prose without what only spelling varies: `e.g.`, contractions (`don't` -> `do not`), possessive
    `'s`. Applied to prose segments only; quotes and code stay as written. Memoised: the guard and the
    canonical wording both ask for each segment."""
    for pattern, replacement in _PLAIN:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str  # as written, delimiters included
    content: str  # without delimiters (the code of a block, the inside of a quote)
    lang: str = ""  # a code block's language tag, lowercased


def segments(prompt: str) -> list[Segment]:
    """The prompt in order: prose, quoted strings, inline code and code blocks.

    A prompt that is Python source as a whole (a HumanEval-style stub) is one code segment.
    """
    text = unicodedata.normalize("NFC", prompt).replace("\r\n", "\n").replace("\r", "\n")
    if _is_python_source(text):
        return [Segment("code", text, text, "python")]
    out: list[Segment] = []
    position = 0
    for match in _FENCE.finditer(text):
        out.extend(_inline_segments(text[position : match.start()]))
        out.append(Segment("code", match.group(0), match.group(2), match.group(1).lower()))
        position = match.end()
    out.extend(_inline_segments(text[position:]))
    return out


def _inline_segments(text: str) -> list[Segment]:
    out: list[Segment] = []
    position = 0
    for match in _SPAN.finditer(text):
        if match.start() > position:
            out.append(Segment("prose", text[position : match.start()], text[position : match.start()]))
        raw = match.group(0)
        kind: SegmentKind = "inline" if match.lastgroup in ("inline", "bare") else "quote"
        out.append(Segment(kind, raw, raw if match.lastgroup == "bare" else raw[1:-1]))
        position = match.end()
    if position < len(text):
        out.append(Segment("prose", text[position:], text[position:]))
    return out


def _is_python_source(text: str) -> bool:
    stripped = text.strip()
    if "\n" not in stripped or not any(marker in stripped for marker in _CODE_MARKERS):
        return False
    for candidate in (stripped, stripped + "\n    pass"):
        try:
            ast.parse(candidate)
        except (SyntaxError, ValueError):
            continue
        return True
    return False


@functools.lru_cache(maxsize=4096)
def normalize_prompt(prompt: str) -> str:
    """The text the exact key hashes: equal only for prompts that must get the same answer.

    Memoised: a server sees the same prompts again and again, and telling code from prose parses."""
    parts: list[str] = []
    for segment in segments(prompt):
        if segment.kind == "prose":
            parts.append(_CAPITALISED.sub(lambda m: m.group(0).lower(), re.sub(r"\s+", " ", segment.text)))
        elif segment.kind == "code":
            lines = [line.rstrip() for line in segment.content.split("\n")]
            while lines and not lines[0]:
                lines.pop(0)
            while lines and not lines[-1]:
                lines.pop()
            parts.append(f"\n```{segment.lang}\n" + "\n".join(lines) + "\n```\n")
        else:
            parts.append(segment.text)
    text = "".join(parts).strip()
    # A full stop or question mark at the very end never changes the task.
    return re.sub(r"(?<=[\w)\]'\"`])[.!?]+$", "", text)
