"""`quorum gui`: the desktop window (see app/ui); Qt is imported only here, when it is asked for."""

from __future__ import annotations

import argparse

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    from app.core.errors import UserError

    if args.screenshot and not args.prompt:
        raise UserError("--screenshot needs --prompt (the run to picture)")
    if args.startup_report:
        from app.ui.launch import report_startup

        return report_startup(config=args.config, demo=args.demo)
    from app.ui.launch import run_gui

    return run_gui(
        config=args.config,
        demo=args.demo,
        prompt=args.prompt,
        screenshot=args.screenshot,
        metrics_port=args.metrics_port,
    )
