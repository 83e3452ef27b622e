"""The exception tree drawn in kaifang/errors.py's docstring is the tree of its classes: every
error class once, under its real parent, with its real HTTP status."""

from __future__ import annotations

import inspect
import re

from kaifang import errors

LINE = re.compile(r"^ {4}(?P<branch>[│├└─ ]*)(?P<name>[A-Za-z]+Error) +(?P<status>\d{3})  \S")


def _drawn() -> dict[str, tuple[str | None, int]]:
    """``{class name: (parent name, status)}`` as the docstring draws them."""
    assert errors.__doc__ is not None
    drawn: dict[str, tuple[str | None, int]] = {}
    path: list[str] = []
    for line in errors.__doc__.splitlines():
        match = LINE.match(line)
        if match is None:
            continue
        depth = len(match["branch"]) // 4
        assert match["name"] not in drawn, f"{match['name']} drawn twice"
        path = [*path[:depth], match["name"]]
        drawn[match["name"]] = (path[-2] if depth else None, int(match["status"]))
    return drawn


def _defined() -> dict[str, tuple[str | None, int]]:
    classes = inspect.getmembers(
        errors, lambda c: inspect.isclass(c) and issubclass(c, errors.KaifangError)
    )
    return {
        name: (None if cls is errors.KaifangError else cls.__bases__[0].__name__, cls.status)
        for name, cls in classes
    }


def test_the_docstring_draws_every_error_class() -> None:
    assert _drawn() == _defined()
