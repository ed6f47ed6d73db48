"""The text that gets embedded: the prompt with its request wording made uniform.

Paraphrases mostly differ in how they ask (`Create a function that determines whether...` vs `Write a
function to check if...`), and MiniLM scores many true paraphrases below 0.95 for that alone. Mapping
the request phrasing and common verb synonyms onto one form before embedding lifts paraphrases above the
threshold. It cannot create false hits: the guard still compares the original prompts, and only
wording that never changes the task (request verbs, inflections, `if`/`whether`) is touched. Quoted
strings and code are left exactly as written.
"""

from __future__ import annotations

import re

from app.cache.lexicon import CASE_SENSITIVE, CLASSES, PHRASES
from app.cache.synonyms import PHRASES as WORD_PHRASES
from app.cache.synonyms import STOP_WORDS, SYNONYMS
from app.cache.text import plain_prose, segments

__all__ = ["content_words", "embedding_text"]

_LEAD = re.compile(
    r"""^\s*
    (?:(?:please|kindly|hey|hi)[\s,]+)?
    (?:(?:in|using|with)\s+(?P<lead_lang>python\s*3?|javascript|typescript|rust|go|golang|java|ruby|kotlin|swift|
       c\+\+|c\#|php|bash|sql)\s*,\s*)?
    (?:(?:please|kindly)[\s,]+)?
    (?:(?:can|could|would|will)\s+you\s+(?:please\s+)?
      |i\s+(?:need|want|would\s+like)\s+(?:you\s+to\s+)?
      |help\s+me\s+(?:to\s+)?
      |how\s+(?:do|can|should|would|could)\s+(?:i|you|we|one)\s+
      |how\s+to\s+
      |let'?s\s+)?
    (?:(?:write|implement|code|give\s+me|show\s+me|develop|provide)(?:\s+me)?\s+
      |(?:create|make|build|define|produce|generate)(?:\s+me)?\s+(?=(?:(?:a|an|the|some)\s+)?(?:(?:small|simple|short|quick|little|new)\s+)?
        (?:(?:python|javascript|typescript|rust|go|golang|java|ruby|kotlin|swift|c\+\+|c\#|c|php|sql)\s+)?
        (?:function|method|program|script|snippet|routine|code|procedure|utility|helper|one-liner|class|interface
          |struct|enum|regex|query|dockerfile)s?\b))?
    (?:(?:a|an|the|some)\s+)?
    (?:(?:small|simple|short|quick|little|new)\s+)?
    (?P<lang>(?:python|javascript|typescript|rust|go|golang|java|ruby|kotlin|swift|c\+\+|c\#|c|php|sql)\s+)?
    (?:(?:function|method|program|script|snippet|routine|code|procedure|utility|helper|one-liner)s?\s*
       (?:that|which|to|for|in\s+order\s+to|,)?\s+)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TRAILING_LANGUAGE = re.compile(
    r"\s+(?:in|using|with)\s+(?P<lang>python\s*3?|javascript|typescript|rust|go|golang|java|ruby|kotlin|swift|"
    r"c\+\+|c\#|php)\b(?:\s+(?:code|language))?(?=\s*[?.!]*\s*$)",
    re.IGNORECASE,
)
_DEFAULT_LANGUAGE = {"python", "python3", "python 3"}
_WORD = re.compile(r"[A-Za-z]+")
_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])-(?=[A-Za-z])")
_PHRASE_SYNONYMS = re.compile(
    r"\b(?:" + "|".join(re.escape(key).replace(r"\ ", r"\s+") for key in WORD_PHRASES) + r")\b", re.IGNORECASE
)


def _phrase_synonym(match: re.Match[str]) -> str:
    return WORD_PHRASES[re.sub(r"\s+", " ", match.group(0).lower())]


def _synonym_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """Lexicon synonyms (`dictionary`, `hash map` -> `dict`): the guard treats them as one, so should
    the embedding. Longest phrases first; case-sensitive ones (`Go`, `GET`) are left alone."""
    canonical: dict[str, str] = {}
    for phrase, (cls, value) in PHRASES.items():
        if len(phrase) == 1 and (cls, phrase[0]) in CASE_SENSITIVE:
            continue
        canonical[" ".join(phrase)] = CLASSES[cls].terms[value][0]
    ordered = sorted(canonical, key=len, reverse=True)
    alternation = "|".join(r"[\s-]+".join(map(re.escape, key.split())) for key in ordered)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE), canonical


_LEXICON, _CANONICAL = _synonym_pattern()


def embedding_text(prompt: str) -> str:
    """`Write a [language ]function: <task>` in plain words; quoted strings and code unchanged."""
    parts, language = _canonical_parts(prompt)
    body = re.sub(r"\s+", " ", "".join(text for _, text in parts)).strip(" ?.!,:")
    body = re.sub(r"\s+([,.;:?!])", r"\1", body)
    language = "" if language.lower() in _DEFAULT_LANGUAGE else language.lower()
    return f"write a {language + ' ' if language else ''}function: {body}"


def content_words(prompt: str) -> tuple[str, ...]:
    """The prose's content words in order, after canonical wording and light stemming (`lists` ->
    `list`, `summarise` -> `summarize`). Function words, numbers, generic task words and lexicon words
    (the guard compares those class by class) are left out."""
    words: list[str] = []
    for is_prose, text in _canonical_parts(prompt, drop_lexicon=True)[0]:
        if is_prose:
            # One letter alone (`e.g.`, `a C implementation`, `x squared`) is never the content.
            words.extend(_stem(word) for word in re.findall(r"[a-z][a-z_]+", text) if word not in STOP_WORDS)
    return tuple(word for word in words if word not in STOP_WORDS)


def _canonical_parts(prompt: str, *, drop_lexicon: bool = False) -> tuple[list[tuple[bool, str]], str]:
    """(is prose, text) per segment, prose in canonical wording; and the language the request names."""
    parts: list[tuple[bool, str]] = []
    language = ""
    for index, segment in enumerate(segments(prompt)):
        if segment.kind != "prose":
            parts.append((False, segment.text))
            continue
        # Hyphens between words split them (`base64-encode`, `gzip-compress`): lexicon phrases match
        # with a space or a hyphen alike.
        text = _HYPHEN.sub(" ", _PHRASE_SYNONYMS.sub(_phrase_synonym, plain_prose(segment.text)))
        if index == 0:
            lead = _LEAD.match(text)
            if lead:
                language = (lead.group("lang") or lead.group("lead_lang") or "").strip()
                text = text[lead.end() :]
        trailing = _TRAILING_LANGUAGE.search(text)
        if trailing:
            language = language or trailing.group("lang")
            text = text[: trailing.start()] + text[trailing.end() :]
        text = _LEXICON.sub(
            lambda m: " " if drop_lexicon else _CANONICAL[re.sub(r"[\s-]+", " ", m.group(0).lower())], text
        )
        # Lowercased: the model's tokenizer is uncased anyway.
        parts.append((True, _WORD.sub(lambda m: SYNONYMS.get(m.group(0).lower(), m.group(0)), text.lower())))
    return parts, language


def _stem(word: str) -> str:
    word = re.sub(r"is(e|ed|es|ing|ation)$", r"iz\1", word)  # British spellings
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and re.search(r"(?:s|x|z|ch|sh)es$", word):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
