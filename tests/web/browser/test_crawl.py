"""Every page of the demo-like test portal, in both languages, at 1280 px and at 390 px: no
console error or failed request, no text left in the other language, no page wider than the
screen nor text under 12 px on a phone, and axe-core (pinned in package-lock.json, installed
by ``make install``) finds no serious or critical violation.

Text a page must not translate carries ``translate="no"`` (identifiers, column names, codes,
file names); metadata shown in the other language because it has no translation carries its own
``lang`` (and a visible mark), so it is skipped here, and so are the data's own column names.
The document title is not checked: it is the dataset's title, which may have no translation and
cannot carry a mark."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.web.browser.conftest import SCREENSHOTS, Site, api, screenshot, watch_requests

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
# Names, standards and formats that read the same in both languages.
SAME_IN_BOTH = {
    "API",
    "APIs",
    "CKAN",
    "CSV",
    "DCAT",
    "AP",
    "Excel",
    "JSON",
    "NDJSON",
    "PARQUET",
    "XLSX",
    "XML",
    "ETC",
    "TDCS",
    "SQL",
    "kaifang",
    "GET",
    "POST",
    "OpenAPI",
    "OAS",
}
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Visible text and labels outside elements that say they are not to be translated or are in
# another language; text inside <code>, <pre> and <kbd> is code.
TEXTS = """(lang) => {
  const out = [];
  const CODE = ["CODE", "PRE", "KBD", "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"];
  const skip = (el) => {
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      if (node.getAttribute("translate") === "no") return true;
      if (CODE.includes(node.tagName)) return true;
      const own = node.getAttribute("lang");
      if (own && own !== lang && node !== document.documentElement) return true;
      if (node.hidden) return true;
    }
    return false;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const value = text.nodeValue.trim();
    if (value && !skip(text.parentElement)) out.push(value);
  }
  document.querySelectorAll("[aria-label], [placeholder], [title], img[alt]").forEach((el) => {
    if (skip(el)) return;
    for (const name of ["aria-label", "placeholder", "title", "alt"]) {
      const value = el.getAttribute(name);
      if (value) out.push(value);
    }
  });
  return out;
}"""


# Text drawn smaller than 12 CSS px on the screen (an SVG's text scaled down with its drawing
# included), outside hidden and visually hidden elements: a phone's reader cannot read it.
SMALL_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!text.nodeValue.trim() || !el) continue;
    if (el.closest("[hidden], .visually-hidden, noscript, script, style, title, desc")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el.closest("svg") && el.getScreenCTM && el.getScreenCTM()) {
      const m = el.getScreenCTM();
      size *= Math.hypot(m.a, m.b);
    }
    if (size < 11.95) out.push(`${size.toFixed(1)}px: ${text.nodeValue.trim().slice(0, 30)}`);
  }
  return out;
}"""
# The explorer in a shared view: filters, sort, chart and SQL query restored from the address.
EXPLORER_VIEW = (
    "?件數__gt=5&_sort_desc=編號&_chart=bar&_group=案類&_metric=count"
    '&_sql=SELECT "行政區", count(*) AS n FROM "{resource}" GROUP BY 1'
)


def _pages(site: Site) -> list[str]:
    datasets = api(site, "/api/datasets?limit=200")["data"]
    orgs = {d["organization"]["code"] for d in datasets}
    resources = [r["id"] for d in datasets for r in d["resources"]]
    return [
        "/",
        "/search",
        "/search?q=竊盜",
        "/search?band=gold",
        "/search?q=竊道",  # nothing found: spellings to try and the request form
        f"/resources/{site.resource}" + EXPLORER_VIEW.format(resource=site.resource),
        "/dashboards",
        "/dashboards/theft",
        "/dashboards/freeway",
        "/dashboards/elections",
        "/dashboards/schools",
        "/dashboards/nothing",  # no such dashboard: the 404 page
        "/requests/new",
        "/requests",
        "/showcases",
        "/showcases/new",
        f"/datasets/{site.dataset}/report",
        "/login",
        "/account",
        "/account/subscriptions",
        "/publish",
        f"/datasets/{site.dataset}/edit",
        "/docs",  # Swagger UI's own words are English: checked by axe only
        *(f"/datasets/{d['id']}" for d in datasets),
        *(f"/organizations/{code}" for code in sorted(orgs)),
        *(f"/resources/{r}" for r in resources[:4]),
    ]


def _without(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, "")
    return text


def untranslated(texts: list[str], lang: str, allowed: set[str]) -> list[str]:
    """The texts that are in the other language: any Chinese on an English page; on a zh-TW
    page, a text without Chinese that has English words (other than names both languages use
    and the data's own names). Chinese metadata may quote codes and column names."""
    if lang == "en":
        names = sorted((n for n in allowed if CJK.search(n)), key=len, reverse=True)
        return [t for t in texts if CJK.search(_without(t, names))]
    return [
        t
        for t in texts
        if not CJK.search(t) and any(w not in SAME_IN_BOTH | allowed for w in LATIN_WORD.findall(t))
    ]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run make install (npm ci installs it)")
    return AXE.read_text(encoding="utf-8")


def _tab(browser: Browser, site: Site, width: int, lang: str) -> Iterator[tuple[Page, list[str]]]:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale=lang, extra_http_headers={}
    )
    context.add_cookies([{"name": "kaifang_lang", "value": lang, "url": "http://127.0.0.1"}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    # logged in as an editor: the pages show their editing buttons, and the forms are crawled
    page.goto(site.url + "/login")
    page.locator("#token").fill(site.token)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    watch_requests(page, problems)
    try:
        yield page, problems
    finally:
        context.close()


def _axe(page: Page, source: str) -> list[dict[str, Any]]:
    page.evaluate(source)  # run by the browser tools: the page's CSP admits no inline script
    result = page.evaluate(
        "async () => JSON.stringify((await axe.run(document, {resultTypes: ['violations']}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3)"
        ".map(n => n.target.join(' '))})))"
    )
    found: list[dict[str, Any]] = json.loads(result)
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_every_page(browser: Browser, site: Site, axe_source: str, lang: str, width: int) -> None:
    """One tab walks every page; the failures of all pages are reported together."""
    allowed = _data_names(site)
    failures: dict[str, Any] = {}
    for page, problems in _tab(browser, site, width, lang):
        for path in _pages(site):
            problems.clear()
            page.goto(site.url + path)
            page.wait_for_load_state("networkidle")
            found: dict[str, Any] = {}
            expected = [] if path != "/dashboards/nothing" else ["404"]
            errors = [p for p in problems if not any(e in p for e in expected)]
            if errors:
                found["console"] = errors
            texts = [] if path == "/docs" else page.evaluate(TEXTS, lang)
            wrong = untranslated(texts, lang, allowed)
            if wrong:
                found["untranslated"] = sorted(set(wrong))[:15]
            if width < 500:
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    found["overflow"] = scroll
                small = page.evaluate(SMALL_TEXT)
                if small:
                    found["small_text"] = small[:10]
            violations = _axe(page, axe_source)
            if violations:
                found["axe"] = violations
            if found:
                failures[path] = found
                name = re.sub(r"\W+", "-", path).strip("-")
                screenshot(page, f"crawl-{lang}-{width}-{name}")
    report = SCREENSHOTS / f"crawl-{lang}-{width}.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps(failures, ensure_ascii=False, indent=1), encoding="utf-8")
    assert failures == {}, f"{len(failures)} pages fail; every finding is in {report}"


def _data_names(site: Site) -> set[str]:
    """The published data's own names (columns such as ``weekday`` or ``案類``, and their
    words), which a page shows as they are, in either language."""
    names: set[str] = set()
    for d in api(site, "/api/datasets?limit=200")["data"]:
        # the publisher's name as the openness reasons quote it (a proper name)
        names.add(d["organization"]["name"])
        # a legal basis as the openness reasons quote it: the recorded text, verbatim
        if d.get("legal_basis"):
            names.add(d["legal_basis"])
        for record in d.get("personal_data") or []:
            names.update(str(record.get(k) or "") for k in ("label", "approved_by"))
        for r in d["resources"]:
            for f in r.get("fields") or []:
                names.add(f["name"])
                names.update(LATIN_WORD.findall(f["name"]))
    return names
