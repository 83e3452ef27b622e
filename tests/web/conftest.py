from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from kaifang.api.app import create_app
from kaifang.catalog.accounts import create_organization
from kaifang.catalog.db import open_catalog
from kaifang.publish import publish_file
from kaifang.settings import Settings

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def published(settings: Settings, tmp_path: Path) -> dict[str, str]:
    """One organization and one dataset whose metadata carries an XSS attempt."""
    with open_catalog(settings) as catalog:
        create_organization(catalog, "379130000E", name="臺北市政府警察局")
    data = tmp_path / "theft.csv"
    data.write_text(
        "編號,案類,發生日期,發生時段,發生地點\n"
        "1,住宅竊盜,1040101,00~02,臺北市文山區萬美里萬寧街1~30號\n"
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
