"""The text that gets embedded: the prompt with its request wording made uniform.

Paraphrases mostly differ in how they ask (`Create a function that determines whether...` vs `Write a
function to check if...`), and MiniLM scores many true paraphrases below 0.95 for that alone. Mapping
the request phrasing and common verb synonyms onto one form before embedding lifts paraphrases above the
threshold. It cannot create false hits: the guard still compares the original prompts, and only
wording that never changes the task (request verbs, inflections, `if`/`whether`) is touched. Quoted
strings and code are left exactly as written.
"""

from __future__ import annotations

import functools
import itertools
import re

from app.cache.lexicon import CASE_SENSITIVE, CLASSES, NUMBER_WORDS, PHRASES
from app.cache.phrase_regex import phrase_alternation
from app.cache.stop_words import STOP_WORDS
from app.cache.synonyms import PHRASES as WORD_PHRASES
from app.cache.synonyms import SYNONYMS
from app.cache.text import plain_prose, segments
from app.cache.token_words import NOT_PLURALS
from app.cache.verb_rewrites import plain_verbs

__all__ = [
    "answer_kind",
    "canonical_parts",
    "content_sequences",
    "content_words",
    "embedding_text",
    "lead_verb",
    "read_verbs",
]

# `write` asks for code (`write a function`, `using a regex, write one`) unless what follows is written
# somewhere (`write a JSON file`, `write a list of dicts to a CSV file`): then it is the task, as `read` is.
_TASK_WRITE = r"""(?=(?:\s+(?!(?:that|which|who|whose|where|for|in|with|using|function|method|program|script
    |snippet|class|code|query|regex|test|routine|implementation|one\s+liner|command|expression|algorithm|utility|helper
    |tool)s?\b)[\w.+\#'-]+){0,4}?\s+(?:to|into|out|onto|file|files|disk|stdout|stderr|stream|socket|buffer
    |database|csv|json|yaml|xml|log|logs|console|output)\b)"""
_REQUEST_WRITE = re.compile(r"\bwrite(?:\s+me)?\b(?!" + _TASK_WRITE + ")", re.IGNORECASE | re.VERBOSE)
_LEAD = re.compile(
    r"""^\s*
    (?:(?:please|kindly|hey|hi)[\s,]+)?
    (?:(?:in|using|with)\s+(?P<lead_topic>[a-z][\w+\#.]*(?:\s+[\w+\#.]+)?)\s*,\s*)?
    (?:(?:please|kindly)[\s,]+)?
    (?:(?:can|could|would|will)\s+you\s+(?:please\s+)?
      |i\s+(?:need|want|would\s+like)\s+(?:you\s+to\s+)?
      |help\s+me\s+(?:to\s+)?
      |how\s+(?:do|can|should|would|could)\s+(?:i|you|we|one)\s+
      |how\s+to\s+
      |what(?:\s+is)?\s+(?:the\s+)?(?:(?:best|easiest|simplest|right|proper|correct|idiomatic)\s+)?way\s+to\s+
      |is\s+there\s+a\s+way\s+to\s+
      |let'?s\s+)?
    (?:(?:implement|code|give\s+me|show\s+me|develop|provide|write(?!"""
    + _TASK_WRITE
    + r"""))(?:\s+me)?\s+
      |(?:create|make|build|define|produce|generate)(?:\s+me)?\s+(?=(?:(?:a|an|the|some)\s+)?(?:(?:small|simple|short|quick|little|new)\s+)?
        (?:(?:python|javascript|typescript|rust|go|golang|java|ruby|kotlin|swift|c\+\+|c\#|c|php|sql)\s+)?
        (?:function|method|program|script|snippet|routine|code|procedure|utility|helper|one\s+liner|class|interface
          |struct|enum|regex|query|dockerfile)s?\b))?
    (?:(?:a|an|the|some)\s+)?
    (?:(?:small|simple|short|quick|little|new)\s+)?
    (?P<lang>(?:python|javascript|typescript|rust|go|golang|java|ruby|kotlin|swift|c\+\+|c\#|c|php|sql)\s+)?
    (?:(?:function|method|program|script|snippet|routine|code|procedure|utility|helper|one\s+liner)s?\s*
       (?:(?:in|using)\s+(?P<fn_lang>python\s*3?|javascript|typescript|rust|go|golang|java|ruby|kotlin|swift|c\+\+|c\#|php|bash|sql)\s+)?
       (?:that|which|to|for|in\s+order\s+to|,)?\s+)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# `Python: how do I ...`, `git: ...`: a leading topic; a language named so is the request's language.
_TOPIC = re.compile(
    r"^\s*(?P<topic>[A-Za-z][\w+#.]*(?:[ \t]+[\w+#.]+){0,2})(?:[ \t]*:|[ \t]+[-\u2013\u2014])\s+"
)
_LANGUAGE_NAME = re.compile(
    r"python\s*3?|javascript|js|typescript|ts|rust|go|golang|java|ruby|kotlin|swift|c\+\+|c\#|php|bash|sql|(?-i:C|R)",
    re.IGNORECASE,
)
_TRAILING_LANGUAGE = re.compile(
    r"\s+(?:in|using|with)\s+(?P<lang>python\s*3?|javascript|typescript|rust|go|golang|java|ruby|kotlin|swift|"
    r"c\+\+|c\#|php|(?-i:C|R)(?![\w#+]))\b(?:\s+(?:code|language))?(?=\s*[?.!]*\s*$)",
    re.IGNORECASE,
)
# `... using bcrypt in a Python function?`: where the code goes, not what it does.
_CODE_ASIDE = re.compile(
    r"\s(?:in|with|using|as)\s+(?:a|an|one)\s+(?:(?P<lang>python\s*3?|javascript|typescript|rust|go|golang|java|ruby|kotlin|swift|c\+\+|c\#|php|bash|sql)\s+)?"
    r"(?:function|method|script|program|snippet|one\s+liner)\b(?!\s+(?:that|which|to)\b)",
    re.IGNORECASE,
)
# `count the number of lines`, `get the number of lines`: `count the lines`.
_COUNT_THE_COUNT = re.compile(r"\b(?:count|return)\s+(?:the\s+|a\s+)?count\b")
_PROSE_WORD = re.compile(r"(?<=[0-9])(?:st|nd|rd|th)\b|([a-z][a-z_]+)")  # `5th`: no word; `9am`: `am`


_PYTHON = re.compile(r"(?:\b(?:in|using|with)\s+)?\bpython\s*3?\b")
_DEFAULT_LANGUAGE = {"python", "python3", "python 3"}
# Language names that are never ordinary words (`go`, `c` and `r` are left where they are).
_BODY_LANGUAGE = re.compile(
    r"(?:\b(?:in|using|with)\s+)?(?<![\w#+])(?:python\s*3?|javascript|typescript|rust|golang|java|ruby|kotlin|swift|c\+\+|c\#|php|bash)"
    r"(?![\w#+])"
)
_SCALE = re.compile(r"\b(?:a|one)\s+(hundred|thousand)\b")
_DIGITS = {word: str(value) for word, value in NUMBER_WORDS.items()}
_NUMBER_WORD = re.compile(r"\b(?:" + "|".join(sorted(_DIGITS, key=len, reverse=True)) + r")\b")
_WORD = re.compile(r"[A-Za-z]+")
_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])-(?=[A-Za-z])")
# `300ms`, `10px`, `100MB`: the unit as a word of its own, as in `300 ms` (ordinals stay whole).
_UNIT_SUFFIX = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?!(?:st|nd|rd|th)\b)(?=[A-Za-z]+\b)")
# Longest first (`how many times` before `how many`); a hyphen joins words as a space does.
_PHRASE_SYNONYMS = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(key).replace(r"\ ", r"[\s-]+") for key in sorted(WORD_PHRASES, key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)


def _phrase_synonym(match: re.Match[str]) -> str:
    return WORD_PHRASES[re.sub(r"[\s-]+", " ", match.group(0).lower())]


def _synonym_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Lexicon synonyms (`dictionary`, `hash map` -> `dict`): the guard treats them as one, so should
    the embedding. Longest phrases first; case-sensitive ones (`Go`, `GET`) are left alone."""
    canonical: dict[str, str] = {}
    for phrase, (cls, value) in PHRASES.items():
        if len(phrase) == 1 and (cls, phrase[0]) in CASE_SENSITIVE:
            continue
        canonical[" ".join(phrase)] = CLASSES[cls].terms[value][0]
    alternation = phrase_alternation(canonical, separator=r"[\s-]+")
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE), canonical


_LEXICON, _CANONICAL = _synonym_pattern()


def embedding_text(prompt: str) -> str:
    """`Write a [language ]function: <task>` in plain words; quoted strings and code unchanged."""
    parts, language = canonical_parts(prompt)
    prose = _prose(parts)
    named = {_language_key(match.group(0)) for match in _BODY_LANGUAGE.finditer(prose)}
    language = _language_key(language) if language else ""
    # One language named anywhere (`a JavaScript array`, `in C#`, `JavaScript:`) goes where the request
    # says it: `remove duplicates from an array in JavaScript` is `JavaScript: remove duplicates...`.
    single = len(named | {language} - {""}) == 1
    language = language or (next(iter(named)) if single else "")
    body = "".join(_plain_body(text, strip_language=single) if is_prose else text for is_prose, text in parts)
    body = re.sub(r"\s+", " ", body).strip(" ?.!,:")
    body = re.sub(r"\s+([,.;:?!])", r"\1", body)
    language = "" if language in _DEFAULT_LANGUAGE else language
    return f"write a {language + ' ' if language else ''}function: {body}"


def _language_key(name: str) -> str:
    key = re.sub(r"^(?:in|using|with)\s+|\s+", "", name.lower())
    return {"python3": "python", "golang": "go", "js": "javascript", "ts": "typescript"}.get(key, key)


def _plain_body(text: str, *, strip_language: bool) -> str:
    """Prose of the embedding text: `python` (the default) and a lone language name out, number words
    as digits (`three` is `3` to the guard too). Dropping determiners as well measured no better."""
    text = _PYTHON.sub(" ", text)
    if strip_language:
        text = _BODY_LANGUAGE.sub(" ", text)
    text = _SCALE.sub(lambda m: "100" if m.group(1) == "hundred" else "1000", text)
    return _NUMBER_WORD.sub(lambda m: _DIGITS[m.group(0)], text)


def content_words(prompt: str) -> tuple[str, ...]:
    """The prose's content words in order, after canonical wording and light stemming (`lists` ->
    `list`, `summarise` -> `summarize`). Function words, numbers, generic task words and lexicon words
    (the guard compares those class by class) are left out."""
    return content_sequences(prompt)[0]


# What may stand between `of` and the noun it introduces: `the size of all the files`.
_OF_DETERMINERS = frozenset(
    {"the", "a", "an", "my", "your", "our", "its", "their", "his", "her", "this", "that", "these", "those"}
    | {"all", "each", "every", "some", "any"}
)


def content_sequences(prompt: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`content_words`, and the same with each `X of Y` said as the compound `Y X` (`the message of the
    last commit` -> `commit message`, `the logs of a container` -> `container log`): the order a
    paraphrase that uses the compound has."""
    plain: list[str] = []
    compound: list[str] = []
    for is_prose, text in canonical_parts(prompt, drop_lexicon=True)[0]:
        if not is_prose:
            continue
        # One letter alone (`e.g.`, `a C implementation`, `x squared`) or an ordinal suffix (`5th`) is
        # never the content.
        words = [word for word in _PROSE_WORD.findall(text) if word]
        index = 0
        run = len(compound)  # where the current run of content words starts in `compound`
        while index < len(words):
            word = words[index]
            index += 1
            if word in STOP_WORDS:
                run = len(compound)
                continue
            stemmed = _stem(word)
            plain.append(stemmed)
            compound.append(stemmed)
            after = index + 1  # `X of Y`: the run that ends in X moves behind Y
            if index < len(words) and words[index] == "of":
                while after < len(words) and words[after] in _OF_DETERMINERS:
                    after += 1
                noun = [_stem(w) for w in itertools.takewhile(lambda w: w not in STOP_WORDS, words[after:])]
                if noun:
                    plain.extend(noun)
                    compound[run:run] = noun
                    index = after + len(noun)
                    run = len(compound)
    keep = tuple(word for word in plain if word not in STOP_WORDS)
    return keep, tuple(word for word in compound if word not in STOP_WORDS)


# What the answer is: a yes/no verdict (`check if`, `detect whether`, `returns True`) or things found
# (`return`, `list`, `extract`); `check if a list contains duplicates` is not `return the duplicates`.
# `check the installed version` looks something up: items.
_YES_NO = re.compile(
    r"\b(?:true|false|bool|boolean|\w+ whether"
    r"|check(?! (?:which|what|how)\b)"
    r"(?! (?:the |my |a )?(?:\w+ )?(?:version|status|size|type|logs?|length)\b))\b"
)
_ITEMS = re.compile(r"\b(?:return|print|extract|show)\b")


def answer_kind(prompt: str) -> str:
    """`yes/no`, `items` or `` (neither said: `detect a cycle`), from the canonical wording."""
    text = _prose(canonical_parts(prompt)[0])
    if _YES_NO.search(text):
        return "yes/no"
    return "items" if _ITEMS.search(text) else ""


# Verbs that only read: the canonical wording drops them (`get`, `find` -> the answer), so an action
# only the other prompt names (`delete`) would otherwise face nothing: `get the first item` vs
# `remove the first item`.
_READ_VERB_STEMS = ("get", "find", "return", "fetch", "show", "print", "read", "display", "retrieve")
_READ_VERBS = frozenset(
    form
    for verb in (*_READ_VERB_STEMS, "select", "obtain", "extract", "list", "view")
    for form in (verb, verb + ("es" if verb.endswith("h") else "s"))
)


_LEAD_VERB = re.compile(
    r"^\s*(?:[\w.+#]+\s*:\s*)?(?:(?:please|how\s+(?:do|can|should|would)\s+(?:i|you|we)|can\s+you)\s+)?"
    r"(use|using|implement|write|build|create|code)\b"
    # `Using dynamic programming, write lcs(a, b)`: the tool an implementation is to use.
    r"(?!\s[^,.;:]{1,60},\s*(?:please\s+)?(?:write|implement|build|create|code)\b)",
    re.IGNORECASE,
)


def lead_verb(prompt: str) -> str:
    """`use` or `implement` when the request opens with one of them (`Use lru_cache` asks for a use
    of it, `Implement lru_cache` for a new one), else ``."""
    match = _LEAD_VERB.match(prompt)
    if match is None:
        return ""
    return "use" if match.group(1).lower() in ("use", "using") else "implement"


def explanation(prompt: str) -> str:
    """`explain` when the prompt asks for an explanation, `question` when it opens by asking what
    something is or does (`What is a closure?`), else ``."""
    if _EXPLAIN.search(prompt):
        return "explain"
    return "question" if _QUESTION.match(prompt) else ""


_EXPLAIN = re.compile(r"\b(?:explain|describe)(?:s|ed|ing)?\b", re.IGNORECASE)
_QUESTION = re.compile(
    r"^\s*(?:[\w.+#]+\s*:\s*)?(?:what(?:'s|\u2019s|\s+(?:is|are|does|do))|why\b|how\s+does\b)", re.IGNORECASE
)


def read_verbs(prompt: str) -> frozenset[str]:
    """The reading verbs of the prompt's canonical wording (`get rid of` is `remove` by then)."""
    words = re.findall(r"[a-z]+", _prose(canonical_parts(prompt)[0]))
    return frozenset(words) & _READ_VERBS


def _prose(parts: tuple[tuple[bool, str], ...]) -> str:
    """The prose segments of canonical parts, joined (quotes and code left out)."""
    return " ".join(text for is_prose, text in parts if is_prose)


@functools.lru_cache(maxsize=4096)
def canonical_parts(prompt: str, *, drop_lexicon: bool = False) -> tuple[tuple[tuple[bool, str], ...], str]:
    """(is prose, text) per segment, prose in canonical wording; and the language the request names.

    Memoised: a lookup asks for a prompt's embedding text and its answer kind, and the guard asks again
    for the cached prompt's; the regular expressions here are most of the guard's time."""
    parts: list[tuple[bool, str]] = []
    language = ""
    for index, segment in enumerate(segments(prompt)):
        if segment.kind != "prose":
            parts.append((False, segment.text))
            continue
        # Hyphens between words split them (`base64-encode`, `gzip-compress`): lexicon phrases match
        # with a space or a hyphen alike.
        text = _HYPHEN.sub(" ", _PHRASE_SYNONYMS.sub(_phrase_synonym, plain_prose(segment.text)))
        text = _UNIT_SUFFIX.sub(r"\1 ", text)
        if index == 0:
            # A topic (`Git: ...`, `In PostgreSQL, how do I ...`) goes last, `... in git`, where a question
            # (`How do I ... in git?`) names it; a language named so is the request's language.
            topic, about = _TOPIC.match(text), ""
            if topic and _LANGUAGE_NAME.fullmatch(topic.group("topic")):
                language, text = topic.group("topic"), text[topic.end() :]
            elif topic:
                about, text = topic.group("topic"), text[topic.end() :]  # `Git - ...` is `Git: ...`
            lead = _LEAD.match(text)
            if lead:
                named = lead.group("lead_topic") or ""
                if named and not _LANGUAGE_NAME.fullmatch(named):
                    about, named = about or named, ""
                named = lead.group("lang") or named or lead.group("fn_lang") or ""
                language = language or named.strip()
                text = text[lead.end() :]
            if about:
                text = f"{text.rstrip(' ?.!')} in {about}"
        text = plain_verbs(_REQUEST_WRITE.sub(" ", text))
        aside = _CODE_ASIDE.search(text)
        if aside:
            language = language or aside.group("lang") or ""
            text = text[: aside.start()] + " " + text[aside.end() :]
        trailing = _TRAILING_LANGUAGE.search(text)
        if trailing:
            language = language or trailing.group("lang")
            text = text[: trailing.start()] + text[trailing.end() :]
        text = _LEXICON.sub(
            lambda m: " " if drop_lexicon else _CANONICAL[re.sub(r"[\s-]+", " ", m.group(0).lower())], text
        )
        # Lowercased: the model's tokenizer is uncased anyway.
        text = _WORD.sub(lambda m: SYNONYMS.get(m.group(0).lower(), m.group(0)), text.lower())
        parts.append((True, _COUNT_THE_COUNT.sub("count", text)))
    return tuple(parts), language


def _stem(word: str) -> str:
    word = re.sub(r"is(e|ed|es|ing|ation)$", r"iz\1", word)  # British spellings
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and re.search(r"(?:s|x|z|ch|sh)es$", word):
        return word[:-2]
    if (
        len(word) > 3
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and word not in NOT_PLURALS
    ):
        return word[:-1]
    return word
