"""`quorum serve`: the pipeline over HTTP (see app/gateway)."""

from __future__ import annotations

import argparse

from app.commands.io import EXIT_OK

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    from app.config import load_settings
    from app.gateway.serve import serve

    settings = load_settings(args.config)
    serve(settings, host=args.host, port=args.port, workers=args.workers, config=args.config)
    return EXIT_OK
