from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kaifang.catalog.db import open_catalog
from kaifang.catalog.editing import withdraw_dataset
from kaifang.settings import Settings
from kaifang.web import STATIC


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=竊盜",
        "/datasets/{dataset}",
        "/resources/{resource}",
        "/organizations/379130000E",
    ],
)
def test_pages_render_in_chinese_by_default(
    client: TestClient, published: dict[str, str], path: str
) -> None:
    response = client.get(path.format(**published))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-TW">' in response.text


@pytest.mark.parametrize(
    "path", ["/datasets/{dataset}", "/search?q=竊盜", "/resources/{resource}", "/"]
)
def test_metadata_is_escaped(client: TestClient, published: dict[str, str], path: str) -> None:
    text = client.get(path.format(**published)).text
    assert "<script>alert" not in text
    assert "<img src=x" not in text
    if path.startswith("/datasets"):
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text


def test_language_switch_is_remembered(client: TestClient) -> None:
    first = client.get("/?lang=en")
    assert '<html lang="en">' in first.text
    assert first.cookies.get("kaifang_lang") == "en"
    assert '<html lang="en">' in client.get("/search").text
    client.cookies.clear()
    assert '<html lang="zh-TW">' in client.get("/search").text


@pytest.mark.parametrize(
    ("header", "lang"), [("en-US,en;q=0.9", "en"), ("zh-TW,zh;q=0.9", "zh-TW"), ("fr", "zh-TW")]
)
def test_accept_language(client: TestClient, header: str, lang: str) -> None:
    response = client.get("/", headers={"Accept-Language": header})
    assert f'<html lang="{lang}">' in response.text


def test_unknown_dataset_is_an_html_page(client: TestClient) -> None:
    response = client.get("/datasets/no-such-dataset")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no-such-dataset" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/static/portal/../pages.py",
        "/static/portal/%2e%2e/pages.py",
        "/static/portal/..%2fpages.py",
    ],
)
def test_static_files_stay_in_their_folder(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "TEMPLATES" not in response.text


def test_assets_are_local(client: TestClient, published: dict[str, str]) -> None:
    for path in ("/", f"/resources/{published['resource']}", "/docs"):
        text = client.get(path).text
        assert "cdn" not in text.lower()
        assert 'src="http' not in text


def test_every_page_names_the_portals_icon(client: TestClient, published: dict[str, str]) -> None:
    for path in ("/", f"/datasets/{published['dataset']}", "/search?q=竊盜", "/docs"):
        assert '<link rel="icon" href="/static/portal/favicon.svg"' in client.get(path).text
    icon = client.get("/static/portal/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
    moved = client.get("/favicon.ico", follow_redirects=False)
    assert (moved.status_code, moved.headers["location"]) == (301, "/static/portal/favicon.svg")


def test_static_files_are_answered_from_memory_as_static_files_would(
    client: TestClient,
) -> None:
    css = client.get("/static/portal/kaifang.css")
    on_disk = (STATIC / "kaifang.css").read_bytes()
    assert css.status_code == 200 and css.content == on_disk
    assert css.headers["content-type"].startswith("text/css")
    assert css.headers["content-length"] == str(len(on_disk))
    assert css.headers["x-content-type-options"] == "nosniff"  # the portal's headers still
    current = client.get(
        "/static/portal/kaifang.css", headers={"if-none-match": css.headers["etag"]}
    )
    assert (current.status_code, current.content) == (304, b"")
    since = {"if-modified-since": css.headers["last-modified"]}
    assert client.get("/static/portal/kaifang.css", headers=since).status_code == 304
    head = client.head("/static/portal/kaifang.css")
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len(on_disk))
    part = client.get("/static/portal/kaifang.css", headers={"range": "bytes=0-9"})
    assert (part.status_code, part.content) == (206, on_disk[:10])  # StaticFiles answers it
    assert client.get("/static/portal/missing.css").status_code == 404


def test_api_docs_page_has_a_language_a_landmark_and_a_way_back(client: TestClient) -> None:
    response = client.get("/docs")
    text = response.text
    assert '<html lang="en">' in text
    assert '<main id="swagger-ui">' in text
    assert '<a href="/">' in text  # back to the portal
    assert "<script>" not in text  # every script is a local file (the CSP can forbid inline)
    for asset in ("/static/portal/api-docs.js", "/static/portal/api-docs.css"):
        assert client.get(asset).status_code == 200


@pytest.mark.parametrize(("lang", "words"), [("zh-TW", "已於"), ("en", "was withdrawn on")])
def test_a_withdrawn_dataset_says_so_on_its_page(
    settings: Settings, client: TestClient, published: dict[str, str], lang: str, words: str
) -> None:
    """Withdrawn without a harvest source (through CKAN's package_delete or the API), the page
    still opens (its links keep working) but says the dataset is no longer listed."""
    page = f"/datasets/{published['dataset']}?lang={lang}"
    assert words not in client.get(page).text
    with open_catalog(settings) as catalog:
        withdraw_dataset(catalog, published["dataset"])
    answer = client.get(page)
    assert answer.status_code == 200
    assert words in answer.text
