"""The explorer's, SQL box's, copy buttons' and search suggestions' messages (zh-TW, English),
kept beside :data:`kaifang.web.i18n.MESSAGES`, which includes them."""

from __future__ import annotations

EXPLORE_MESSAGES: dict[str, tuple[str, str]] = {
    "explorer.export": ("下載目前的檢視", "Download this view"),
    "explorer.export_filtered": (
        "下載內容只含符合篩選條件的資料列，並依目前的排序。",
        "The downloads hold only the rows that match the filters, in the current sort order.",
    ),
    "explorer.view_api": (
        "以 API 取得目前的檢視（每頁 100 筆，依回應中的 next 取得下一頁）：",
        "This view through the API (100 rows a page; follow the answer's next for more):",
    ),
    "sql.title": ("以 SQL 查詢", "Query with SQL"),
    "sql.about": (
        "每次只能執行一個唯讀的 SELECT 敘述，可查詢所有已上架的資料表；"
        "每個查詢最多傳回 {rows} 列、執行 {seconds} 秒。",
        "One read-only SELECT statement over any published table; a query returns at most "
        "{rows} rows and runs for at most {seconds} seconds.",
    ),
    "sql.label": ("SQL 查詢（Ctrl+Enter 執行）", "SQL query (Ctrl+Enter runs it)"),
    "sql.run": ("執行查詢", "Run query"),
    "sql.result": ("查詢結果", "Query result"),
    "sql.running": ("查詢中…", "Running…"),
    "sql.status": ("共 {n} 列（{ms} 毫秒）", "{n} rows ({ms} ms)"),
    "sql.status_truncated": (
        "只顯示前 {n} 列：結果超過列數上限（{ms} 毫秒）",
        "Only the first {n} rows: the result passed the row limit ({ms} ms)",
    ),
    "sql.kept": ("下方仍是上一次查詢的結果。", "The results below are the previous query's."),
    "sql.detail": ("技術細節", "Technical detail"),
    "sql.error.query_refused": (
        "無法執行這個查詢：只接受一個唯讀的 SELECT 敘述，且只能查詢已上架的資料表。"
        "請檢查 SQL 語法、資料表與欄位名稱。",
        "This query cannot run: only one read-only SELECT statement over published tables is "
        "accepted. Check the SQL syntax and the table and column names.",
    ),
    "sql.error.query_limit": (
        "查詢超過了時間、列數或記憶體的上限。請加上 WHERE 條件、LIMIT 或彙總以縮小範圍。",
        "The query passed the time, row or memory limit. Narrow it with WHERE, LIMIT or an "
        "aggregate.",
    ),
    "sql.error.bad_filter_value": (
        "條件中的值與欄位的型別不符。",
        "A value in the query does not fit its column's type.",
    ),
    "sql.error.not_found": ("找不到查詢中的資料表。", "A table in the query does not exist."),
    "sql.error.validation_error": ("請輸入一個 SELECT 敘述。", "Enter a SELECT statement."),
    "sql.error.busy": (
        "伺服器忙碌中，請稍候再試。",
        "The server is busy: try again in a moment.",
    ),
    "sql.error.rate_limited": (
        "查詢次數過多，請稍候再試。",
        "Too many queries: try again in a moment.",
    ),
    "sql.error.engine_unavailable": (
        "查詢引擎暫時無法使用，請稍後再試。",
        "The query engine is unavailable: try again later.",
    ),
    "sql.error.other": ("查詢失敗，請稍後再試。", "The query failed: try again later."),
    "copy.button": ("複製", "Copy"),
    "copy.label": ("複製這段程式碼", "Copy this code"),
    "copy.done": ("已複製到剪貼簿。", "Copied to the clipboard."),
    "copy.failed": (
        "無法複製，請選取文字後按 Ctrl+C。",
        "Could not copy: select the text and press Ctrl+C.",
    ),
    "search.suggest": ("您是不是要找：", "Did you mean:"),
    "search.request": (
        "沒有您要的資料？提出資料需求，請機關開放。",
        "Not there? Ask an agency to open it with a data request.",
    ),
    "search.downloads": ("下載與查詢 {n} 次", "{n} downloads and queries"),
}
