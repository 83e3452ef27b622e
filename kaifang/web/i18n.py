"""zh-TW first, English too: the language of a request and the portal's messages.

The language comes from ``?lang=`` (remembered in a cookie), else the cookie, else the
``Accept-Language`` header, else zh-TW.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

LANGUAGES = ("zh-TW", "en")
DEFAULT = "zh-TW"
COOKIE = "kaifang_lang"

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (zh-TW, en)
    "site.title": ("開放資料平臺", "Open Data Portal"),
    "site.tagline": (
        "機關開放資料：讀得懂、去識別、有版本、可評分",
        "Government open data: read correctly, de-identified, versioned, scored",
    ),
    "nav.home": ("首頁", "Home"),
    "nav.search": ("找資料", "Datasets"),
    "nav.organizations": ("機關", "Organizations"),
    "nav.requests": ("資料需求", "Requests"),
    "nav.api": ("API 文件", "API docs"),
    "nav.publish": ("上架資料", "Publish"),
    "nav.login": ("登入", "Log in"),
    "nav.logout": ("登出", "Log out"),
    "lang.switch": ("English", "中文"),
    "search.placeholder": ("搜尋資料集，例如：竊盜、選舉、國道", "Search datasets, e.g. theft"),
    "search.button": ("搜尋", "Search"),
    "search.results": ("共 {count} 筆資料集", "{count} datasets"),
    "search.none": ("找不到符合的資料集。", "No dataset matches."),
    "facet.organization": ("機關", "Organization"),
    "facet.category": ("服務分類", "Category"),
    "facet.tags": ("標籤", "Tag"),
    "facet.format": ("格式", "Format"),
    "facet.license": ("授權", "Licence"),
    "facet.band": ("開放度標章", "Openness band"),
    "home.counts": (
        "{datasets} 個資料集 · {organizations} 個機關 · {rows} 筆資料列",
        "{datasets} datasets · {organizations} organizations · {rows} rows",
    ),
    "home.newest": ("最新資料集", "Newest datasets"),
    "home.popular": ("熱門資料集", "Most used datasets"),
    "home.categories": ("服務分類", "Service categories"),
    "home.ranking": ("機關開放度排行", "Organizations by openness"),
    "dataset.metadata": ("詮釋資料", "Metadata"),
    "dataset.resources": ("資料資源", "Resources"),
    "dataset.schema": ("欄位", "Columns"),
    "dataset.versions": ("版本紀錄", "Version history"),
    "dataset.openness": ("開放度評分", "Openness score"),
    "dataset.privacy": ("個資處理", "Personal data"),
    "dataset.downloads": ("下載", "Downloads"),
    "dataset.api": ("API 範例", "API examples"),
    "dataset.explore": ("瀏覽與圖表", "Explore and chart"),
    "field.identifier": ("資料集編號", "Identifier"),
    "field.organization": ("提供機關", "Publisher"),
    "field.category": ("服務分類", "Category"),
    "field.keywords": ("關鍵字", "Keywords"),
    "field.license": ("授權", "Licence"),
    "field.cost": ("收費", "Cost"),
    "field.update_frequency": ("更新頻率", "Update frequency"),
    "field.temporal": ("資料時間範圍", "Temporal coverage"),
    "field.spatial": ("空間範圍", "Spatial coverage"),
    "field.language": ("語言", "Language"),
    "field.contact": ("聯絡窗口", "Contact"),
    "field.created": ("上架日期", "Created"),
    "field.modified": ("更新日期", "Modified"),
    "field.legal_basis": ("公開之法律依據", "Legal basis for publication"),
    "column.name": ("欄位名稱", "Column"),
    "column.type": ("型態", "Type"),
    "column.description": ("說明", "Description"),
    "version.number": ("版本", "Version"),
    "version.rows": ("資料列", "Rows"),
    "version.created": ("時間", "Created"),
    "version.publisher": ("上架者", "Publisher"),
    "version.changes": ("變更", "Changes"),
    "check.passed": ("通過", "passed"),
    "check.failed": ("未通過", "failed"),
    "check.fix": ("改善方式", "How to fix"),
    "privacy.none": ("未偵測到個人資料。", "No personal data was detected."),
    "privacy.legal": ("依法公開之個人資料：{basis}", "Personal data made public by law: {basis}"),
    "org.datasets": ("資料集", "Datasets"),
    "org.overdue": ("逾期未更新", "Overdue updates"),
    "org.split": ("疑似拆分之資料集", "Datasets that look split"),
    "org.requests": ("待回覆的資料需求", "Open dataset requests"),
    "score.band.gold": ("金標章", "Gold"),
    "score.band.silver": ("銀標章", "Silver"),
    "score.band.bronze": ("銅標章", "Bronze"),
    "score.none": ("尚未評分", "Not scored yet"),
    "page.previous": ("上一頁", "Previous"),
    "page.next": ("下一頁", "Next"),
    "error.title": ("發生錯誤", "Something went wrong"),
}


def language_of(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-TW"
        if tag.startswith("en"):
            return "en"
    return DEFAULT


def translator(lang: str) -> Callable[..., str]:
    index = 0 if lang == "zh-TW" else 1

    def translate(key: str, **values: object) -> str:
        pair = MESSAGES.get(key)
        text = pair[index] if pair else key
        return text.format(**values) if values else text

    return translate
