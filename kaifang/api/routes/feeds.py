"""Atom feeds of the activity stream: the whole catalog, one organization, one dataset.

Each entry is one activity, titled in Traditional Chinese (the portal's first language) and
linked to the dataset's page; ``<id>`` is a tag URI of this portal's host and the activity id,
so a reader never sees one change twice."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kaifang.api.responses import native_errors
from kaifang.service.access import link_base, service_of

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
ENTRIES = 50

router = APIRouter(prefix="/feeds", tags=["activity"], responses=native_errors(404))

TITLES = {
    "dataset_created": "新資料集：{title}",
    "version_published": "{title}：第 {version} 版（{rows} 筆）",
    "metadata_edited": "{title}：詮釋資料更新",
    "dataset_withdrawn": "{title}：來源平臺已不再列出",
    "dataset_restored": "{title}：來源平臺重新列出",
    "score_changed": "{title}：開放度 {previous_score} → {score}",
    "report_filed": "{title}：有人回報資料問題",
    "report_answered": "{title}：機關回覆資料問題",
    "showcase_approved": "{title}：新應用展示「{showcase_title}」",
    "dataset_renamed": "{title}：資料集編號 {old} 改為 {new}",
    "resource_renamed": "{title}：資料表編號 {old} 改為 {new}",
}


def entry_title(activity: dict[str, Any]) -> str:
    values = {"title": activity["dataset"]["title"], **activity["detail"]}
    try:
        return TITLES[activity["kind"]].format(**values)
    except KeyError:
        return f"{activity['dataset']['title']}：{activity['kind']}"


def atom(
    activities: list[dict[str, Any]], *, base: str, title: str, self_path: str, page_path: str
) -> bytes:
    ET.register_namespace("", ATOM)
    host = urlsplit(base).hostname or "kaifang"

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        node.text = text
        return node

    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "zh-TW"})
    sub(feed, "id", f"tag:{host},2026:feed{self_path}")
    sub(feed, "title", title)
    sub(feed, "updated", activities[0]["created"] if activities else "2026-01-01T00:00:00+00:00")
    sub(feed, "link", rel="self", type="application/atom+xml", href=base + self_path)
    sub(feed, "link", rel="alternate", type="text/html", href=base + page_path)
    author = sub(feed, "author")
    sub(author, "name", "kaifang 開放資料平臺")
    sub(feed, "generator", "kaifang")
    for activity in activities:
        entry = sub(feed, "entry")
        sub(entry, "id", f"tag:{host},2026:activity/{activity['id']}")
        sub(entry, "title", entry_title(activity))
        sub(entry, "updated", activity["created"])
        sub(entry, "link", rel="alternate", type="text/html",
            href=f"{base}/datasets/{activity['dataset']['id']}")  # fmt: skip
        who = sub(entry, "author")
        sub(who, "name", activity["organization"]["name"])
        sub(entry, "category", term=activity["kind"])
        summary = f"{activity['organization']['name']} · {activity['dataset']['identifier']}"
        if activity["actor"]:
            summary += f" · {activity['actor']}"
        sub(entry, "summary", summary)
    body: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return body


def _feed(
    request: Request,
    title: str,
    page_path: str,
    *,
    organization: str | None = None,
    dataset: str | None = None,
) -> Response:
    activities = service_of(request).activity(
        limit=ENTRIES, organization=organization, dataset=dataset
    )
    body = atom(activities, base=link_base(request), title=title,
                self_path=request.url.path, page_path=page_path)  # fmt: skip
    return Response(body, media_type=MEDIA_TYPE)


FEED: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/atom+xml": {"schema": {"type": "string"}}},
        "description": "An Atom 1.0 feed",
    }
}


@router.get("/catalog.atom", summary="Atom feed of every catalog change", responses=FEED,
            response_class=Response)  # fmt: skip
def catalog_feed(request: Request) -> Response:
    return _feed(request, "開放資料平臺：最新異動", "/search")


@router.get("/organizations/{code}.atom", summary="Atom feed of one organization's changes",
            responses=FEED, response_class=Response)  # fmt: skip
def organization_feed(request: Request, code: str) -> Response:
    return _feed(request, f"{code}：最新異動", f"/organizations/{code}", organization=code)


@router.get("/datasets/{dataset_id}.atom", summary="Atom feed of one dataset's changes",
            responses=FEED, response_class=Response)  # fmt: skip
def dataset_feed(request: Request, dataset_id: str) -> Response:
    return _feed(request, f"{dataset_id}：最新異動", f"/datasets/{dataset_id}", dataset=dataset_id)
