"""Command line of the package: `python -m wealist summary`.

Prints the summary of the configuration WEALIST_CONFIG selects (prod when
unset), the same text every synthesis writes as SUMMARY.md. It reads only the
configuration and the tables, so it starts no jsii and needs no Node.js.
"""

import argparse
import sys
from datetime import date

from wealist.config_file import (
    CONFIG_ENV_VAR,
    config_path_from_environment,
    load_config,
)
from wealist.errors import ConfigError
from wealist.summary import render_summary


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status (2 for a bad configuration)."""
    parser = argparse.ArgumentParser(
        prog="python -m wealist",
        description="Tools of the weAlist compute layer that need no synthesis.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    summary = commands.add_parser(
        "summary",
        help="print the layer's summary and cost estimate as Markdown",
        description=(
            f"Print the summary of the configuration {CONFIG_ENV_VAR} names "
            "(a TOML path or an environment in environments/; prod when unset)."
        ),
    )
    summary.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="judge Kubernetes support status and price the control plane as of this day "
        "(default: today)",
    )
    arguments = parser.parse_args(argv)

    try:
        config = load_config(config_path_from_environment())
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    sys.stdout.write(render_summary(config, arguments.date or date.today()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
