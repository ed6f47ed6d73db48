"""Random inputs drawn from the domain the examples show.

Every leaf value in the example arguments (also inside lists, tuples and dicts) teaches the sampler
something: the range of the integers and floats, the characters and words of the strings, the lengths
of the sequences. New arguments keep an example's shape and replace each leaf with a fresh draw from
what was seen for that kind of value, widened a little (a margin around the number range, characters
and words recombined, lengths from empty to a bit longer than seen). Staying inside the observed domain
keeps inputs valid for the function while still reaching cases no example shows, such as a boundary
value, a letter the examples never used, or a longer list.
"""

from __future__ import annotations

import ast
import random
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Domain", "coverage_strings"]

_MAX_SEQUENCE = 24
_QUOTED = re.compile(r"""(?<![\w'"])['"]([^'"\n]{1,20})['"](?![\w'"])""")
_NUMBER = re.compile(r"(?<![\w.])-?\d{1,6}(?![\w.])")


@dataclass
class Domain:
    ints: list[int] = field(default_factory=list)
    floats: list[float] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)

    @classmethod
    def learn(cls, examples: list[tuple[Any, ...]], prompt: str = "", codes: Sequence[str] = ()) -> Domain:
        """From the example arguments, plus literals seen elsewhere: quoted words in the prompt ("from
        'zero' to 'nine'") and string constants in the answers ('aeiou') join the vocabulary; small
        numbers in the prompt ("1 <= n <= 1000") and in the answers (a threshold) join the range.
        Constants are where off-by-one and missing-case bugs live, so inputs should touch them."""
        domain = cls()
        for args in examples:
            for value in args:
                domain._observe(value, 0)
        texts, numbers = _code_constants(codes)
        if domain.strings:
            quoted = [text for text in _QUOTED.findall(prompt) if 0 < len(text) <= 20]
            domain.strings += (quoted + texts)[:80]
        if domain.ints:
            mentioned = [int(n) for n in _NUMBER.findall(prompt) if abs(int(n)) <= 100_000]
            domain.ints += (mentioned + numbers)[:80]
        return domain

    def _observe(self, value: Any, depth: int) -> None:
        if depth > 4 or isinstance(value, bool):
            return
        if isinstance(value, int):
            self.ints.append(value)
        elif isinstance(value, float):
            self.floats.append(value)
        elif isinstance(value, str):
            self.strings.append(value)
        elif isinstance(value, list | tuple | set | frozenset):
            self.lengths.append(len(value))
            for item in value:
                self._observe(item, depth + 1)
        elif isinstance(value, dict):
            self.lengths.append(len(value))
            for key, item in value.items():
                self._observe(key, depth + 1)
                self._observe(item, depth + 1)

    def resample(self, template: Any, rng: random.Random, depth: int = 0) -> Any:
        """A value shaped like `template` with every leaf drawn afresh from the domain."""
        if isinstance(template, bool):
            return rng.random() < 0.5
        if isinstance(template, int):
            return self._int(rng)
        if isinstance(template, float):
            return self._float(rng)
        if isinstance(template, str):
            return self._string(template, rng)
        if depth > 4:
            return template
        if isinstance(template, list | tuple):
            items = list(template)
            if not items:
                return template
            size = self._length(rng)
            built = [self.resample(rng.choice(items), rng, depth + 1) for _ in range(size)]
            return built if isinstance(template, list) else tuple(built)
        if isinstance(template, dict) and template:
            keys, values = list(template), list(template.values())
            size = self._length(rng)
            pairs = [(rng.choice(keys), rng.choice(values)) for _ in range(size)]
            return {self.resample(k, rng, depth + 1): self.resample(v, rng, depth + 1) for k, v in pairs}
        return template

    def _int(self, rng: random.Random) -> int:
        if self.ints and rng.random() < 0.25:
            return rng.choice(self.ints)  # seen values and their neighbours hold the boundaries
        low = min([0, *self.ints]) - 3
        high = max([10, *self.ints]) + 3
        if rng.random() < 0.2:
            return rng.choice(self.ints or [0]) + rng.choice((-1, 1))
        if high - low > 1000 and rng.random() < 0.5:
            return int(rng.choice(self.ints or [0]) * rng.uniform(0.5, 1.5))
        return rng.randint(low, min(high, low + 10_000))

    def _float(self, rng: random.Random) -> float:
        if self.floats and rng.random() < 0.25:
            return rng.choice(self.floats)
        low = min([0.0, *self.floats]) - 1.0
        high = max([1.0, *self.floats]) + 1.0
        return round(rng.uniform(low, high), rng.choice((1, 2, 3)))

    def _length(self, rng: random.Random) -> int:
        most = min(_MAX_SEQUENCE, max([3, *self.lengths]) + 3)
        return rng.randint(0, most)

    def _string(self, template: str, rng: random.Random) -> str:
        seen = [text for text in self.strings if text] or [template or "abc"]
        words = sorted({word for text in seen for word in text.split()})
        alphabet = sorted({char for text in seen for char in text}) or list("abc")
        roll = rng.random()
        if len(words) > 1 and roll < 0.4:  # recombine the vocabulary: keeps word-shaped inputs valid
            count = rng.randint(0, min(_MAX_SEQUENCE, len(words) + 2))
            return " ".join(rng.choice(words) for _ in range(count))
        if roll < 0.8:
            size = rng.randint(0, min(_MAX_SEQUENCE, max(len(t) for t in seen) + 3))
            return "".join(rng.choice(alphabet) for _ in range(size))
        return rng.choice(coverage_strings(alphabet))


def _code_constants(codes: Sequence[str]) -> tuple[list[str], list[int]]:
    texts: set[str] = set()
    numbers: set[int] = set()
    for code in codes:
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) <= 30:
                texts.add(node.value)
            elif isinstance(node, ast.Constant) and type(node.value) is int and abs(node.value) <= 100_000:
                numbers.add(node.value)
    return sorted(texts), sorted(numbers)


def coverage_strings(alphabet: list[str]) -> list[str]:
    """Strings that touch every character class the examples use, in both cases where letters appear."""
    # Only where the examples already use a broad alphabet: a binary string must stay binary.
    letters = sum(1 for char in alphabet if char.isalpha()) >= 6
    probes = []
    if letters:
        probes += [
            string.ascii_lowercase,
            string.ascii_uppercase,
            "aeiouAEIOU",
            "The quick brown fox jumps over the lazy dog",
        ]
    if sum(1 for char in alphabet if char.isdigit()) >= 5:
        probes += ["0123456789", "9081726354"]
    if any(not char.isalnum() and not char.isspace() for char in alphabet):
        probes.append("".join(char for char in alphabet if not char.isalnum()) * 2)
    if " " in alphabet:
        probes += ["  leading and trailing  ", "one"]
    return probes or ["".join(alphabet)]
