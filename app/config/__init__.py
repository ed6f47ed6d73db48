"""Settings (TOML file + QUORUM_ environment), secrets (argument, keychain, environment) and paths."""

from app.config.settings import (
    CacheSettings,
    MetricsSettings,
    ProviderKind,
    ProviderSettings,
    SandboxSettings,
    Settings,
    load_settings,
)

__all__ = [
    "CacheSettings",
    "MetricsSettings",
    "ProviderKind",
    "ProviderSettings",
    "SandboxSettings",
    "Settings",
    "load_settings",
]
