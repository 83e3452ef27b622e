"""Shared helpers for CLI commands: JSON output and turning errors into one-line messages."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from kaifang.errors import KaifangError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

_consoles: dict[str, Console] = {}


def __getattr__(name: str) -> Console:
    """``console`` and ``err_console``, made on first use: rich costs ~20 ms to import, which
    ``kaifang --help`` and the JSON outputs do not need."""
    if name not in ("console", "err_console"):
        raise AttributeError(name)
    return _console(name)


def _console(name: str) -> Console:
    if name not in _consoles:
        from rich.console import Console  # lazy: only commands that print tables need rich

        _consoles[name] = Console(stderr=name == "err_console")
    return _consoles[name]


def rich_table(*headers: str, **options: Any) -> Table:
    """A rich table, imported on first use like the consoles."""
    from rich.table import Table  # lazy: JSON output and --help need no rich

    return Table(*headers, **options)


def print_json(data: Any) -> None:
    """Print exactly one JSON object on stdout (UTF-8, not ASCII-escaped)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def run_cli(group: click.Group) -> None:
    """Run the group; a :class:`KaifangError` becomes a clear message and exit code 1."""
    try:
        group.main(standalone_mode=False)
    except click.exceptions.Abort:
        _console("err_console").print("Aborted.")
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KaifangError as exc:
        _console("err_console").print(
            f"[bold red]Error:[/] {exc.message}", highlight=False, markup=True
        )
        if exc.hint:
            _console("err_console").print(f"Hint: {exc.hint}", highlight=False, markup=False)
        sys.exit(1)
