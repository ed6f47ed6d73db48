"""Recorded demo answers, so a new user with no keys and no Ollama sees the whole pipeline work.

Several "models" of different quality answered a set of classic coding prompts; their raw answers are
bundled as JSON in `resources/demo/` and streamed back with realistic pacing. Every answer is labelled:
the model name ends with "(recorded demo)". For any other prompt the demo says plainly that it only knows
its sample prompts and lists them.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import httpx

from app.config.paths import resources_dir
from app.config.settings import ProviderSettings
from app.core.errors import ConfigError
from app.providers.base import ChatRequest, Provider, StreamState

__all__ = [
    "DEMO_LABEL",
    "DEMO_MODELS",
    "DemoProvider",
    "DemoTask",
    "demo_provider_settings",
    "load_demo_tasks",
    "normalise_prompt",
]

DEMO_LABEL = "(recorded demo)"
DEMO_MODELS = ("demo-careful", "demo-hasty", "demo-verbose")


@dataclass(frozen=True)
class _Pace:
    first_token_s: float  # "thinking" before the first chunk
    total_s: float  # the whole answer, first chunk included
    words_per_chunk: tuple[int, int]


_PACES = {
    "demo-careful": _Pace(0.35, 1.0, (1, 3)),
    "demo-hasty": _Pace(0.12, 0.4, (2, 5)),
    "demo-verbose": _Pace(0.25, 1.3, (1, 4)),
}


@dataclass(frozen=True)
class DemoTask:
    id: str
    prompt: str
    entry_point: str | None
    notes: str
    answers: dict[str, str]


def normalise_prompt(prompt: str) -> str:
    """Case, runs of whitespace and trailing punctuation do not matter when matching a sample prompt."""
    return " ".join(prompt.casefold().split()).rstrip(" .!?;:")


def demo_dir() -> Path:
    return resources_dir() / "demo"


def load_demo_tasks(directory: Path | None = None) -> list[DemoTask]:
    """The bundled tasks (one JSON file each), in file-name order."""
    folder = directory or demo_dir()
    tasks: list[DemoTask] = []
    try:
        files = sorted(folder.glob("*.json"))
    except OSError as error:
        raise ConfigError(f"cannot read the demo answers: {error}", path=str(folder)) from None
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            tasks.append(
                DemoTask(
                    id=str(data["id"]),
                    prompt=str(data["prompt"]),
                    entry_point=data.get("entry_point"),
                    notes=str(data.get("notes", "")),
                    answers={str(model): str(text) for model, text in data["answers"].items()},
                )
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise ConfigError(
                f"broken demo answer file ({type(error).__name__}: {error})", path=str(path)
            ) from None
    if not tasks:
        raise ConfigError("no demo answers found (resources/demo/*.json)", path=str(folder))
    return tasks


def demo_provider_settings(
    models: Sequence[str] = DEMO_MODELS, timeout_s: float = 30.0
) -> list[ProviderSettings]:
    """One provider per demo model: what `make run` uses with no keys and no Ollama."""
    return [ProviderSettings(name=model, kind="demo", model=model, timeout_s=timeout_s) for model in models]


class DemoProvider(Provider):
    """Streams a recorded answer. `speed` divides every delay (tests use a large one); it defaults to
    `$QUORUM_DEMO_SPEED` or 1 (real pacing, about 0.4 to 1.5 s per answer)."""

    kind: ClassVar[str] = "demo"
    needs_key: ClassVar[bool] = False
    key_env: ClassVar[tuple[str, ...]] = ()
    default_base_url: ClassVar[str | None] = "demo://recorded"

    def __init__(
        self,
        settings: ProviderSettings,
        client: httpx.AsyncClient,
        api_key: str | None = None,
        *,
        speed: float | None = None,
        tasks: Sequence[DemoTask] | None = None,
    ) -> None:
        super().__init__(settings, client, api_key)
        self.demo_model = settings.model
        self.model = f"{settings.model} {DEMO_LABEL}"
        self._tasks = list(tasks) if tasks is not None else load_demo_tasks()
        known = sorted({model for task in self._tasks for model in task.answers})
        if self.demo_model not in known:
            raise ConfigError(
                f"unknown demo model {self.demo_model!r} (known: {', '.join(known)})", key="model"
            )
        self._by_prompt = {normalise_prompt(task.prompt): task for task in self._tasks}
        self.speed = _speed(speed)

    @property
    def sample_prompts(self) -> list[str]:
        return [task.prompt for task in self._tasks]

    def find_task(self, prompt: str) -> DemoTask | None:
        return self._by_prompt.get(normalise_prompt(prompt))

    def answer_for(self, prompt: str) -> str:
        task = self.find_task(prompt)
        if task is not None and self.demo_model in task.answers:
            return task.answers[self.demo_model]
        return self._unknown_prompt_answer()

    def _unknown_prompt_answer(self) -> str:
        lines = [
            f"This is {self.model}: a recorded answer, not a live model. It only knows its sample prompts, "
            "and yours is not one of them. Try one of these:",
            "",
        ]
        for number, prompt in enumerate(self.sample_prompts, 1):
            first_line = prompt.strip().splitlines()[0]
            lines.append(f"{number}. {first_line}")
        lines += [
            "",
            "To ask anything else, configure a real provider (Groq, Gemini, Hugging Face, Ollama or any "
            "OpenAI-compatible server) in the config file.",
        ]
        return "\n".join(lines) + "\n"

    async def _run(
        self, request: ChatRequest, state: StreamState, *, streaming: bool
    ) -> AsyncGenerator[str, None]:
        text = self.answer_for(request.prompt)
        pace = _PACES.get(self.demo_model, _Pace(0.2, 0.8, (1, 4)))
        rng = random.Random(f"{self.demo_model}\n{normalise_prompt(request.prompt)}")  # noqa: S311 - pacing
        chunks = _chunks(text, rng, pace.words_per_chunk) if streaming else [text]
        first = pace.first_token_s * rng.uniform(0.8, 1.2)
        rest = max(0.0, pace.total_s * rng.uniform(0.9, 1.1) - first)
        gaps = [rng.uniform(0.5, 1.5) for _ in chunks[1:]]  # uneven, like real token timing
        scale = rest / sum(gaps) if gaps else 0.0
        await self._pause(first if gaps else first + rest)
        for index, chunk in enumerate(chunks):
            if index:
                await self._pause(gaps[index - 1] * scale)
            yield chunk
        state.finish_reason = "stop"

    async def _pause(self, seconds: float) -> None:
        if self.speed != float("inf"):
            await asyncio.sleep(seconds / self.speed)
        else:
            await asyncio.sleep(0)  # still a checkpoint: cancellation and other tasks get their turn


_WORD = re.compile(r"\s*\S+|\s+$")


def _chunks(text: str, rng: random.Random, words: tuple[int, int]) -> list[str]:
    """A few words (tokens, roughly) at a time; joining the chunks gives back `text` exactly."""
    pieces = _WORD.findall(text)
    chunks: list[str] = []
    index = 0
    while index < len(pieces):
        size = rng.randint(*words)
        chunks.append("".join(pieces[index : index + size]))
        index += size
    return chunks


def _speed(explicit: float | None) -> float:
    if explicit is None:
        raw = os.environ.get("QUORUM_DEMO_SPEED", "").strip()
        try:
            explicit = float(raw) if raw else 1.0
        except ValueError:
            raise ConfigError(
                "must be a positive number", path="environment variable QUORUM_DEMO_SPEED"
            ) from None
    if not explicit > 0:
        raise ConfigError("the demo speed must be a positive number", key="speed")
    return explicit
