"""The headless pipeline: models, events, errors, orchestration. Never imports Qt."""
