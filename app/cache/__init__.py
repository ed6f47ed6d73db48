"""Semantic cache: embedder, stores (diskcache, Redis), guarded lookup. Never imports Qt."""
