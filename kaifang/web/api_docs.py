"""The API reference page at ``/docs``: Swagger UI from the package's own files, with the
portal's icon, a language, a landmark and a way back to the portal (FastAPI's stock page has
none of these and loads its assets from a CDN)."""

from __future__ import annotations

from fastapi.responses import HTMLResponse

DOCS_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>kaifang Open API · 開放資料平臺</title>
  <link rel="icon" href="/static/portal/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/static/swagger/swagger-ui.css">
  <link rel="stylesheet" href="/static/portal/api-docs.css">
</head>
<body>
  <header class="docs-nav">
    <nav aria-label="kaifang"><a href="/">← <span lang="zh-TW">開放資料平臺</span> (portal)</a>
    · <a href="/openapi.json">openapi.json</a></nav>
  </header>
  <main id="swagger-ui"></main>
  <script src="/static/swagger/swagger-ui-bundle.js"></script>
  <script src="/static/portal/api-docs.js"></script>
</body>
</html>
"""


def api_docs_page() -> HTMLResponse:
    return HTMLResponse(DOCS_HTML)


__all__ = ["api_docs_page"]
