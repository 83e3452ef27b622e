"""Every ``kaifang COMMAND`` that the docs, the README or the package's docstrings and messages
show as a command is a real command (and ``kaifang GROUP SUB`` a real subcommand), so no text
sends a reader to a command that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

import click

from kaifang.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "kaifang").rglob("*.py")),
    *sorted((ROOT / "kaifang").rglob("*.html")),
]
# A command as text shows it: at the start of a code span, after "run"/"see:"/"with:", or
# at the start of a line in a fenced code block (checked separately below).
SHOWN = re.compile(
    r"(?:`|\b[Rr]un:? |\bsee:? |\bwith:? )kaifang (?P<words>[a-z][a-z-]*(?: [a-z][a-z-]*)?)"
)
LINE = re.compile(r"^\s*(?:\$ )?kaifang (?P<words>[a-z][a-z-]*(?: [a-z][a-z-]*)?)")


def _mentions(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if path.suffix == ".md" and line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        found.extend((number, m["words"]) for m in SHOWN.finditer(line))
        if fenced and (match := LINE.match(line)) is not None:
            found.append((number, match["words"]))
    return found


def _unknown(words: str) -> str | None:
    """What is wrong with ``kaifang WORDS`` (None when it names a real command)."""
    ctx = click.Context(cli)
    name, _, rest = words.partition(" ")
    command = cli.get_command(ctx, name)
    if command is None:
        return f"no command {name!r}"
    if isinstance(command, click.Group) and rest:
        sub = command.get_command(click.Context(command, parent=ctx), rest)
        if sub is None:
            return f"no command {name} {rest!r}"
    return None


def test_mentions_are_found() -> None:
    """The scan sees the mentions it is meant to check (it would pass vacuously otherwise)."""
    readme = _mentions(ROOT / "README.md")
    assert any(words == "import freeway" for _, words in readme)
    assert any(words.startswith("score") for _, words in _mentions(ROOT / "docs/openness.md"))
    assert _unknown("export") == "no command 'export'"
    assert _unknown("import nothing") == "no command import 'nothing'"


def test_every_mentioned_command_exists() -> None:
    wrong = [
        f"{path.relative_to(ROOT)}:{number}: kaifang {words} ({problem})"
        for path in SOURCES
        for number, words in _mentions(path)
        if (problem := _unknown(words)) is not None
    ]
    assert wrong == []
