"""Shared helpers for CLI commands: JSON output and turning errors into one-line messages."""

from __future__ import annotations

import json
import sys
from typing import Any

import click
from rich.console import Console

from kaifang.errors import KaifangError

console = Console()
err_console = Console(stderr=True)


def print_json(data: Any) -> None:
    """Print exactly one JSON object on stdout (UTF-8, not ASCII-escaped)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def run_cli(group: click.Group) -> None:
    """Run the group; a :class:`KaifangError` becomes a clear message and exit code 1."""
    try:
        group.main(standalone_mode=False)
    except click.exceptions.Abort:
        err_console.print("Aborted.")
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KaifangError as exc:
        err_console.print(f"[bold red]Error:[/] {exc.message}", highlight=False, markup=True)
        if exc.hint:
            err_console.print(f"Hint: {exc.hint}", highlight=False, markup=False)
        sys.exit(1)
