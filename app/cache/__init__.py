"""Semantic cache: embedder, stores (diskcache, Redis), guarded lookup. Never imports Qt.

Entry points (see commands.py): `open_cache(settings, ...)` -> `ResultCache` with `await lookup(prompt,
context)` and `await put(result, context)`; `verify_with_cache(pipeline, cache, prompt, ...)`; and the
`quorum cache` commands `cache_stats`, `cache_clear`, `cache_lookup`. Importing this package loads
nothing heavy: torch and the model load on the first semantic lookup.
"""
