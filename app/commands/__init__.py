"""One module per `quorum` subcommand; imported only when that subcommand runs (fast start-up)."""
