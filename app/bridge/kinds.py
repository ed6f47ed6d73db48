"""What each provider kind needs (default URL, key variables), for the settings dialog to show."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

__all__ = ["KindInfo", "kind_info"]


@dataclass(frozen=True)
class KindInfo:
    kind: str
    default_base_url: str | None
    key_env: tuple[str, ...]
    needs_key: bool

    @property
    def key_hint(self) -> str:
        if not self.key_env:
            return "no key needed"
        names = " or ".join(self.key_env)
        return f"needs a key ({names})" if self.needs_key else f"optional key ({names})"


@cache
def kind_info(kind: str) -> KindInfo:
    from app.core.errors import ConfigError
    from app.providers.registry import provider_class

    try:
        cls = provider_class(kind)
    except ConfigError:
        return KindInfo(kind, None, (), False)
    default = cls.resolve_default_base_url() if kind == "ollama" else cls.default_base_url
    return KindInfo(kind, default, tuple(cls.key_env), bool(cls.needs_key))
