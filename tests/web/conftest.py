from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog.accounts import create_organization, create_token, create_user
from kaifang.catalog.db import open_catalog
from kaifang.publish import publish_file
from kaifang.settings import Settings

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def published(settings: Settings, tmp_path: Path) -> dict[str, str]:
    """One organization and one dataset whose metadata carries an XSS attempt."""
    with open_catalog(settings) as catalog:
        create_organization(catalog, "379130000E", name="臺北市政府警察局")
        create_organization(catalog, "A59000000N", name="交通部高速公路局")
        create_user(catalog, "steward", org="379130000E", role="editor")
        create_user(catalog, "outsider", org="A59000000N", role="editor")
    data = tmp_path / "theft.csv"
    data.write_text(
        "編號,案類,發生日期,發生時段,發生地點\n"
        "1,住宅竊盜,1040101,00~02,文山第一分局\n"
        f"2,住宅竊盜,1040102,18~21,{XSS.replace(',', ' ')}\n",
        encoding="utf-8",
    )
    meta = tmp_path / "meta.yaml"
    meta.write_text(
        yaml.safe_dump(
            {
                "title": f"住宅竊盜點位 {XSS}",
                "description": f"竊盜案件 {XSS}",
                "keywords": ["竊盜", XSS],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    result = publish_file(settings, data, org="379130000E", metadata=str(meta))
    return {"dataset": result.dataset, "resource": result.resource}


@pytest.fixture
def client(settings: Settings, published: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def tokens(settings: Settings, published: dict[str, str]) -> dict[str, str]:
    """API tokens of an editor of the police (379130000E) and of another organization."""
    with open_catalog(settings) as catalog:
        return {
            "steward": create_token(catalog, "steward").token,
            "outsider": create_token(catalog, "outsider").token,
        }


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def log_in(client: TestClient, token: str) -> None:
    page = client.get("/login")
    response = client.post(
        "/login", data={"token": token, "csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
