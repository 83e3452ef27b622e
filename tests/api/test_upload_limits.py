"""Uploads are bounded: a body past upload_max_mb is 413 before it is stored (declared or
chunked), and a file past the reader's limits is a 400 naming the file and the limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kaifang.app import create_app
from kaifang.catalog import create_organization, create_token, create_user, open_catalog
from kaifang.publish import publish_file
from tests.api.data import ORG, write_theft
from tests.catalogs import MakeSettings

URL = "/api/datasets/{dataset}/resources/theft/versions"


@pytest.fixture
def editor(tmp_path: Path, make_settings: MakeSettings) -> Iterator[tuple[TestClient, str, str]]:
    settings = make_settings(tmp_path / "data", rate_limit=0, upload_max_mb=1)
    with open_catalog(settings) as catalog:
        create_organization(catalog, ORG, name="臺北市政府警察局")
        create_user(catalog, "editor", org=ORG, role="editor")
        token = create_token(catalog, "editor").token
    published = publish_file(settings, write_theft(tmp_path / "theft.csv"), org=ORG, title="竊盜")
    with TestClient(create_app(settings)) as client:
        yield client, f"Bearer {token}", URL.format(dataset=published.dataset)


def assert_413(response: object) -> None:
    assert response.status_code == 413, response.text  # type: ignore[attr-defined]
    error = response.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "too_large"
    assert "larger than 1 MB" in error["message"]


def test_a_declared_body_past_the_limit_is_413(editor: tuple[TestClient, str, str]) -> None:
    client, token, url = editor
    payload = b"a,b\n" + b"1,2\n" * 300_000
    response = client.post(
        url, files={"file": ("big.csv", payload, "text/csv")}, headers={"Authorization": token}
    )
    assert_413(response)


def test_a_chunked_body_past_the_limit_is_413(editor: tuple[TestClient, str, str]) -> None:
    client, token, url = editor
    boundary = "kaifangboundary"

    def chunks() -> Iterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="big.csv"\r\nContent-Type: text/csv\r\n\r\na,b\n'
        ).encode()
        for _ in range(40):
            yield b"1,2\n" * 16_384
        yield f"\r\n--{boundary}--\r\n".encode()

    response = client.post(
        url,
        content=chunks(),
        headers={
            "Authorization": token,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert_413(response)


def test_too_many_columns_is_a_clear_400(
    editor: tuple[TestClient, str, str], tmp_path: Path
) -> None:
    client, token, url = editor
    width = 2_001
    payload = (
        ",".join(f"c{i}" for i in range(width)) + "\n" + ",".join("1" for _ in range(width))
    ).encode()
    response = client.post(
        url, files={"file": ("wide.csv", payload, "text/csv")}, headers={"Authorization": token}
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "read_error"
    assert "2,001 columns; at most 2,000" in error["message"]
    assert "read_max_columns" in error["hint"]


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("a" * 296 + ".csv", "bytes long; at most 200"),
        ("..", "is not a file name"),
        ("../..", "is not a file name"),
    ],
)
def test_bad_upload_file_names_are_a_400(
    editor: tuple[TestClient, str, str], filename: str, message: str
) -> None:
    client, token, url = editor
    response = client.post(
        url,
        files={"file": (filename, b"a,b\n1,2\n", "text/csv")},
        headers={"Authorization": token},
    )
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]["message"]
