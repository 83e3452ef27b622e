"""docs/api.md documents every route, CKAN action, national spec error and native code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from kaifang.api.compat import ckan
from kaifang.api.errors import _HTTP_CODES
from kaifang.errors import KaifangError

DOC = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")


def test_every_route_is_documented(client: TestClient) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    missing = []
    for route in iter_route_contexts(app.routes):
        path = route.path or ""
        if not path.startswith(("/api/", "/catalog.jsonld")):
            continue  # web pages, /docs, /openapi.json, static files
        if path.startswith(("/api/3/action", "/api/action")):
            continue  # one route per surface; each action is checked below
        documented = path.removeprefix("/api/v1") if path.startswith("/api/v1/") else path
        if documented not in DOC:
            missing.append(path)
    assert missing == []


@pytest.mark.parametrize("action", sorted(ckan.ACTIONS))
def test_every_ckan_action_is_documented(action: str) -> None:
    assert f"`{action}`" in DOC


@pytest.mark.parametrize("code", ["ER0100", "ER010001", "ER0200", "ER0210", "ER0220", "ER0500"])
def test_every_spec_error_is_documented(code: str) -> None:
    assert f"`{code}`" in DOC


def _codes() -> set[str]:
    found = {"internal_error", *_HTTP_CODES.values()}
    stack: list[type[KaifangError]] = [KaifangError]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.code != "error":
            found.add(cls.code)
    return found


@pytest.mark.parametrize("code", sorted(_codes()))
def test_every_native_error_code_is_documented(code: str) -> None:
    assert re.search(rf"\| `{code}` \|", DOC), code
