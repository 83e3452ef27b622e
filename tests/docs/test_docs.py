"""Docs are tested: every setting and every CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from kaifang.cli import cli
from kaifang.settings import SETTINGS, env_name

ROOT = Path(__file__).resolve().parents[2]


def _command_paths(group: click.Group, prefix: str = "kaifang") -> list[str]:
    paths = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{prefix} {name} does not load"
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, path))
        else:
            paths.append(path)
    return paths


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_documented(name: str) -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert f"`{name}`" in text
    assert f"`{env_name(name)}`" in text


@pytest.mark.parametrize("path", _command_paths(cli))
def test_every_command_is_in_the_readme(path: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert path in readme, f"README.md does not document `{path}`"
