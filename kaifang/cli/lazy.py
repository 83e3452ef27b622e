"""A click group that imports a command's module only when that command runs.

``kaifang publish`` then starts without importing the web server, the demo generators or the
importers of every source (about half a second of start-up for each call), and ``kaifang
--help`` lists the commands from their one-line summaries without importing any of them
(tests/cli/test_lazy.py keeps the summaries equal to the commands' own help)."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click


class LazyGroup(click.Group):
    """``lazy`` maps a command name to ``"module:attribute"``; ``summaries`` maps it to the
    first sentence of its help, shown by ``--help``."""

    def __init__(
        self,
        *args: Any,
        lazy: Mapping[str, str],
        summaries: Mapping[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._lazy = dict(lazy)
        self._summaries = dict(summaries)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.commands:
                command = self.commands[name]
                if command.hidden:
                    continue
                summary = command.get_short_help_str(limit)
            else:
                summary = shorten(self._summaries.get(name, ""), limit)
            rows.append((name, summary))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self._lazy and cmd_name not in self.commands:
            module, attribute = self._lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            if not isinstance(command, click.Command):
                raise TypeError(f"{self._lazy[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word to at most ``limit`` characters, ending in ``...`` when cut, as
    click shortens a command's own help."""
    if len(text) <= limit:
        return text
    words, kept = text.split(), ""
    for word in words:
        candidate = f"{kept} {word}" if kept else word
        if len(candidate) + 3 > limit:
            break
        kept = candidate
    return f"{kept}..."
