"""Word lists of the feature tokenizer (features.py): when `Go` or `C` is a language, which words name
something (`class Person`) and which never do, number scale words, `list` the verb, common acronyms."""

from __future__ import annotations

__all__ = [
    "ACRONYMS",
    "AFTER_LETTER_NAME",
    "A_AFTER",
    "A_BEFORE",
    "GO_VERB_AFTER",
    "LANGUAGE_AFTER",
    "LANGUAGE_BEFORE",
    "LETTER_NAMED",
    "LIST_OBJECTS",
    "LIST_OPENERS",
    "LIST_VERBS",
    "NAMING",
    "NEGATION_SKIP",
    "NOT_COUNTS",
    "NOT_NAMES",
    "NOT_PLURALS",
    "ONE_IDIOMS",
    "SCALES",
]

# `Go`, `C`, `R` are languages only next to words that say so (`in C`, `a Go function`).
LANGUAGE_BEFORE = frozenset(
    ["in", "using", "with", "for", "into", "to", "a", "an", "the", "idiomatic", "modern", "pure"]
)
# Words ending in `s` that are no plural: `HTTPS` is not `HTTP`.
NOT_PLURALS = frozenset({"https", "macos", "ftps", "sftps", "wss"})
# `Go through the list`, `go back to the last commit`: the verb, not the language.
GO_VERB_AFTER = frozenset(
    {"to", "through", "back", "over", "ahead", "away", "up", "down", "on", "out", "into"}
)
LANGUAGE_AFTER = frozenset(
    [
        "function",
        "functions",
        "program",
        "programs",
        "code",
        "script",
        "snippet",
        "implementation",
        "version",
        "module",
        "package",
        "struct",
        "language",
        "solution",
        "library",
        "routine",
        "method",
    ]
)
NAMING = frozenset({"named", "called", "def", "class"})
# Nouns a capital letter names (`list A`, `table B`): the letter is a name, and the order of names
# matters (`in A but not in B` vs `in B but not in A`).
AFTER_LETTER_NAME = frozenset(
    [
        ".",
        ",",
        ";",
        ":",
        "?",
        "!",
        ")",
        "is",
        "are",
        "and",
        "or",
        "but",
        "with",
        "to",
        "into",
        "from",
        "contains",
        "contain",
        "has",
        "have",
        "in",
        "of",
        "that",
        "than",
        "equals",
        "by",
    ]
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Around a letter that is a variable, not the article: `a divided by b`, `subtract b from a`.
A_BEFORE = _words(". , ; : ? ! ) is and or minus plus times divided to by mod modulo than equals from")
A_AFTER = _words("from than and by of minus plus times when if whether")
# Skipped to find what a negation negates (`do not end with`, `is not active`).
NEGATION_SKIP = _words("be is are do does did have has a an the to at all any")
_LETTER_NOUNS = """list table set array column file string matrix node vertex point vector dataframe df tree
graph branch class object dict map group folder directory row field collection server account user team"""
LETTER_NAMED = (
    frozenset(_LETTER_NOUNS.split())
    | {noun + "s" for noun in _LETTER_NOUNS.split()}
    | {
        "matrices",
        "vertices",
        "directories",
    }
)
# Words that follow `class` or `called` without being a name (`a class called Person`, `class in Python`).
NOT_NAMES = frozenset(
    [
        "called",
        "named",
        "that",
        "which",
        "with",
        "in",
        "for",
        "of",
        "to",
        "and",
        "or",
        "having",
        "whose",
        "where",
        "is",
        "a",
        "an",
        "the",
        "method",
        "methods",
        "function",
        "attribute",
        "attributes",
        "instance",
    ]
)
SCALES = frozenset({"hundred", "thousand", "million", "billion"})
LIST_VERBS = frozenset({"list", "lists", "listing"})
# `in one query`, `the one with`, `each one`, `at once`: a single one, not a count.
NOT_COUNTS = frozenset(
    {("single", "a"), ("one", "into"), ("one", "in")}
    | {("one", before) for before in ("the", "each", "which", "any", "every", "no", "this", "that")}
    | {("once", "at")}  # `await several promises at once`
)
# `one of their fields`, `one per line`, `one by one`, `one at a time`, `one another`: not the number 1.
ONE_IDIOMS = frozenset({"of", "per", "by", "at", "another"})
LIST_OBJECTS = frozenset({"all", "every", "each", "the", "any", "its", "their", "available", "out"})
# `Docker: list containers`, `how do I list pods`: the verb, where a request starts, before a plural.
LIST_OPENERS = frozenset({"", ":", "i", "to", "you", "please", "and", "then", "just"})
# `set the upstream branch`, `set a default value`, `set environment variables`: the verb, not the type.
SET_OBJECTS = frozenset(
    {"the", "a", "an", "my", "your", "its", "their", "this", "that", "it", "them", "environment"}
    | {"state", "default", "headers", "cookies", "permissions", "variables", "values", "key", "keys"}
    | {"timeout", "variable", "option", "flag", "property", "attribute"}
)
# Upper-case words that are common abbreviations, not names (`an HTTP request`, `an LRU cache`).
ACRONYMS = frozenset(
    [
        "HTTP",
        "HTTPS",
        "k8s",
        "DB",
        "URL",
        "URI",
        "API",
        "REST",
        "JSON",
        "CSV",
        "TSV",
        "XML",
        "HTML",
        "CSS",
        "SQL",
        "UUID",
        "ID",
        "IP",
        "TCP",
        "UDP",
        "DNS",
        "LRU",
        "LFU",
        "DFS",
        "BFS",
        "GCD",
        "LCM",
        "AM",
        "PM",
        "UTC",
        "GMT",
        "ISO",
        "ASCII",
        "UTF",
        "PDF",
        "PNG",
        "JPEG",
        "GIF",
        "CLI",
        "GUI",
        "OS",
        "IO",
        "CPU",
        "RAM",
        "OK",
        "YAML",
        "TOML",
        "JWT",
        "SSH",
        "FTP",
        "SMTP",
        "AWS",
        "GCP",
        "DOM",
        "JS",
        "TS",
    ]
)
