"""`quorum serve`: the pipeline over HTTP (FastAPI), including an OpenAI-compatible "verified model"."""
