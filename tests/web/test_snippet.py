from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kaifang.web.rendering import snippet


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("住宅竊盜案件", "竊盜", "住宅<mark>竊盜</mark>案件"),
        ("Theft points", "theft", "<mark>Theft</mark> points"),
        ("<b>竊盜</b>", "竊盜", "&lt;b&gt;<mark>竊盜</mark>&lt;/b&gt;"),
        ("a <script>", "<script>", "a <mark>&lt;script&gt;</mark>"),
        ("no match here", "竊盜", "no match here"),
        ("", None, ""),
        (
            "x" * 100 + "竊盜" + "y" * 200,
            "竊盜",
            "…" + "x" * 53 + "<mark>竊盜</mark>" + "y" * 105 + "…",
        ),
    ],
)
def test_snippet_marks_terms_and_escapes_the_rest(
    text: str, query: str | None, expected: str
) -> None:
    assert str(snippet(text, query)) == expected


def test_search_results_show_marked_snippets(client: TestClient) -> None:
    text = client.get("/search?q=竊盜").text
    assert "<mark>竊盜</mark>" in text
    assert "<script>alert" not in text
