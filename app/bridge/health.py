"""What the provider picker, the status bar and the first-run notice say about the open pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.bridge.views import Chip

if TYPE_CHECKING:
    from app.core.models import VerifyResult
    from app.core.pipeline import Pipeline

__all__ = ["KEY_HINT", "Notice", "ProviderHealth", "SessionInfo", "first_run_notice", "provider_health"]

KEY_HINT = (
    "Add a provider in Settings (Ctrl+,): its key is stored in your OS keychain. Or set GROQ_API_KEY, "
    "GEMINI_API_KEY, HF_TOKEN or OPENAI_API_KEY and add the provider to the config file."
)


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    kind: str
    model: str
    fallback: str | None


@dataclass(frozen=True)
class SessionInfo:
    mode: str  # configured | ollama | demo
    providers: list[ProviderInfo]
    sandbox: str  # "subprocess/bwrap", "docker"
    sandbox_warnings: list[str]
    metrics_url: str | None
    metrics_error: str | None
    config_path: str
    config_error: str | None = None
    unavailable: dict[str, str] = field(default_factory=dict)
    demo_requested: bool = False  # `--demo`: the user asked for the recorded answers
    samples: list[str] = field(default_factory=list)  # prompts the demo models know


@dataclass(frozen=True)
class ProviderHealth:
    name: str
    model: str
    state: str  # ready | ok | degraded | open | unavailable
    chip: Chip


@dataclass(frozen=True)
class Notice:
    kind: str  # info | warn | error
    text: str
    action: str = ""  # label of the button that opens the settings ("" for none)


def session_info(
    pipeline: Pipeline,
    *,
    config_path: Path | None,
    config_error: str | None,
    metrics_url: str | None,
    metrics_error: str | None,
    demo_requested: bool = False,
) -> SessionInfo:
    """Runs in a worker thread: a sandbox's isolation may still be probing the first time it is asked."""
    sandbox = pipeline.sandbox
    return SessionInfo(
        mode=pipeline.mode,
        providers=[
            ProviderInfo(entry.name, entry.kind, entry.model, entry.fallback)
            for entry in pipeline.provider_settings
        ],
        sandbox=f"{sandbox.name}/{sandbox.isolation}" if sandbox.name != sandbox.isolation else sandbox.name,
        sandbox_warnings=list(sandbox.warnings),
        metrics_url=metrics_url,
        metrics_error=metrics_error,
        config_path=str(config_path) if config_path is not None else "",
        config_error=config_error,
        unavailable=pipeline.providers.unavailable(),
        demo_requested=demo_requested,
        samples=_demo_samples() if pipeline.mode == "demo" else [],
    )


def _demo_samples() -> list[str]:
    from app.core.errors import ConfigError
    from app.providers.demo import load_demo_tasks

    try:
        return [task.prompt for task in load_demo_tasks()]
    except ConfigError:
        return []


def provider_health(pipeline: Pipeline, last: VerifyResult | None) -> list[ProviderHealth]:
    """One line per provider: its breaker, whether it could be built, and how its last answer went."""
    breakers = pipeline.providers.breaker_states()
    unavailable = pipeline.providers.unavailable()
    outcomes = {record.answer.provider: record.answer for record in (last.answers if last else [])}
    health = []
    for entry in pipeline.provider_settings:
        name = entry.name
        if name in unavailable:
            reason = unavailable[name]
            text = "needs key" if "key" in reason.lower() else "unavailable"
            health.append(ProviderHealth(name, entry.model, "unavailable", Chip("error", text, reason)))
            continue
        snapshot = breakers.get(name)
        answer = outcomes.get(name)
        if snapshot is not None and snapshot.state == "open":
            why = snapshot.reason or "failures"
            wait = f"; retry in {snapshot.retry_in_s:.0f} s" if snapshot.retry_in_s else ""
            tip = f"circuit breaker open ({why}){wait}"
            if entry.fallback:
                code = "429" if why in ("rate_limit", "daily_quota") else "open"
                chip = Chip(
                    "warn", f"{code}\u2192{entry.fallback}", f"{tip}; {entry.fallback} answers instead"
                )
            else:
                chip = Chip("error", f"open \u00b7 {why.replace('_', ' ')}", tip)
            health.append(ProviderHealth(name, entry.model, "open", chip))
        elif snapshot is not None and snapshot.state == "half_open":
            chip = Chip("warn", "probing", "circuit breaker half-open: the next request is a probe")
            health.append(ProviderHealth(name, entry.model, "degraded", chip))
        elif answer is not None and answer.served_by:
            code = "429" if answer.status == "rate_limited" else answer.status.replace("_", " ")
            chip = Chip("warn", f"{code}\u2192{answer.served_by}", answer.error or "")
            health.append(ProviderHealth(name, entry.model, "degraded", chip))
        elif answer is not None and answer.status != "ok":
            chip = Chip("warn", answer.status.replace("_", " "), answer.error or "")
            health.append(ProviderHealth(name, entry.model, "degraded", chip))
        elif answer is not None:
            health.append(ProviderHealth(name, entry.model, "ok", Chip("ok", "ok", "last answer ok")))
        else:
            health.append(ProviderHealth(name, entry.model, "ready", Chip("ok", "ready", "not asked yet")))
    return health


def first_run_notice(info: SessionInfo) -> Notice | None:
    """What a new user needs to know: which providers answer, and how to add real ones."""
    if info.config_error:
        return Notice("error", f"The config file has a problem: {info.config_error}", "Open settings")
    if info.mode == "demo" and info.demo_requested:
        return Notice(
            "info",
            "Demo mode: three recorded models answer the sample prompts (History \u25be lists them). "
            "To ask real models, " + KEY_HINT[0].lower() + KEY_HINT[1:],
            "Add a provider",
        )
    if info.mode == "demo":
        return Notice(
            "info",
            "No providers are configured and no local Ollama was found, so the recorded demo models answer "
            "(try a sample prompt from History). " + KEY_HINT,
            "Add a provider",
        )
    if info.mode == "ollama":
        models = ", ".join(provider.model for provider in info.providers)
        return Notice(
            "info",
            f"No providers are configured: using your local Ollama models ({models}). "
            "Save them to the config, or add cloud providers, in Settings.",
            "Open settings",
        )
    if info.unavailable:
        names = ", ".join(sorted(info.unavailable))
        first = next(iter(info.unavailable.values()))
        return Notice("warn", f"Not usable: {names}. {first}", "Open settings")
    return None
