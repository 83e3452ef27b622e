"""Rendering portal pages: the Jinja2 environment (autoescaped), the language, the session's
user and CSRF token in every template."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape

from kaifang.catalog.categories import CATEGORIES
from kaifang.service import WRITE_ROLES, UserRecord
from kaifang.service import web as portal_web
from kaifang.service.access import link_base, service_of
from kaifang.web.i18n import COOKIE, LANGUAGES, language_of, messages_for, translator
from kaifang.web.security import session_of
from kaifang.web.session_store import SessionStore

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _with_lang(params: Any, lang: str) -> str:
    """The current query string with ``lang`` switched (for the language link)."""
    return urlencode({**dict(params), "lang": lang})


def snippet(text: str | None, query: str | None, *, width: int = 160) -> Markup:
    """``width`` characters of ``text`` around the first query term, the terms in ``<mark>``.
    Every piece of the text is escaped; only the ``<mark>`` tags are markup."""
    body = text or ""
    terms = [t for t in (query or "").split() if t]
    lowered = body.lower()
    hits = [(lowered.find(t.lower()), t) for t in terms if lowered.find(t.lower()) >= 0]
    start = max(0, min(hits)[0] - width // 3) if hits else 0
    window = body[start : start + width]
    pattern = "|".join(re.escape(t) for t in terms)
    pieces = re.split(f"({pattern})", window, flags=re.IGNORECASE) if pattern else [window]
    out = Markup("…") if start else Markup("")
    for index, piece in enumerate(pieces):
        out += Markup("<mark>{}</mark>").format(piece) if index % 2 else escape(piece)
    return out + (Markup("…") if start + width < len(body) else Markup(""))


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]{2,}")


@pass_context
def metadata(context: Any, text: Any) -> Markup:
    """Metadata as the agency wrote it, marked when it is not in the page's language: Chinese
    text on an English page (and English text on a zh-TW page) carries its own ``lang`` and
    the ``untranslated`` class, which the stylesheet labels."""
    value = "" if text is None else str(text)
    lang = context.get("lang")
    if lang == "en" and _CJK.search(value):
        return Markup('<span lang="zh-TW" class="untranslated">{}</span>').format(value)
    if lang == "zh-TW" and not _CJK.search(value) and _LATIN.search(value):
        return Markup('<span lang="en" class="untranslated">{}</span>').format(value)
    return escape(value)


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int | float) else str(value or 0)


TEMPLATES.env.filters["langparams"] = _with_lang
TEMPLATES.env.filters["number"] = _number
TEMPLATES.env.globals["WRITE_ROLES"] = WRITE_ROLES
TEMPLATES.env.globals["CATEGORY"] = {c.code: c for c in CATEGORIES}
TEMPLATES.env.filters["snippet"] = snippet
TEMPLATES.env.filters["meta"] = metadata
# Identifiers inside a sentence (column names, resource ids): never translated.
TEMPLATES.env.filters["notranslate"] = lambda value: Markup(
    '<span translate="no">{}</span>'
).format("" if value is None else value)
TEMPLATES.env.tests["cjk"] = lambda value: bool(_CJK.search(str(value or "")))


def current_user(request: Request) -> UserRecord | None:
    """The logged-in user (looked up again from the token prefix on every request)."""
    session = session_of(request)
    cached: UserRecord | None = getattr(request.state, "user", None)
    store: SessionStore = request.state.session_store  # handed over by PortalMiddleware
    if cached is None and session.get("prefix") and store.active(session.get("sid")):
        cached = portal_web.session_user(service_of(request), session["prefix"])
        request.state.user = cached
    return cached


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> Response:
    lang = language_of(request)
    session = session_of(request)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": translator(lang),
            "messages": lambda prefix: messages_for(lang, prefix),
            "other_lang": LANGUAGES[1] if lang == LANGUAGES[0] else LANGUAGES[0],
            "base_url": link_base(request),
            "csrf": session["csrf"],
            "user": current_user(request),
            **context,
        },
        status_code=status,
    )
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def redirect(url: str) -> Response:
    """After a successful POST: see the result with GET (303)."""
    return RedirectResponse(url, status_code=303)
