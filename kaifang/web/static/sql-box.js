// kaifang SQL box: one read-only SELECT over the published tables, run by /api/sql under the
// query sandbox's limits (time, rows, memory). The query is kept in the page's address as
// _sql, so a link shares it and back/forward walk the queries run. Errors are shown in the
// page's language (from the portal's catalogue), with the server's own words as a detail.
// Text is inserted with textContent, never as HTML.
(function () {
  "use strict";
  const box = document.getElementById("sql-box");
  if (!box) return;
  const messages = JSON.parse(box.dataset.messages || "{}");
  function say(key, values) {
    const text = messages["sql." + key] || key;
    return text.replace(/\{(\w+)\}/g, (match, name) => (values && name in values ? String(values[name]) : match));
  }
  const form = document.getElementById("sql-form");
  const text = document.getElementById("sql-text");
  const problem = document.getElementById("sql-error");
  const status = document.getElementById("sql-status");
  const output = document.getElementById("sql-output");
  const table = document.getElementById("sql-result");
  // the error envelope's stable codes, each with its message in the catalogue
  const KNOWN = ["query_refused", "query_limit", "bad_filter_value", "not_found", "validation_error", "busy", "rate_limited", "engine_unavailable"];

  function showProblem(code, detail) {
    problem.replaceChildren();
    problem.hidden = !code;
    if (!code) return;
    const message = document.createElement("p");
    message.textContent = say("error." + (KNOWN.includes(code) ? code : "other"));
    problem.appendChild(message);
    if (detail) {
      // the server's own (English) words, for whoever wants the technical reason
      const more = document.createElement("details");
      const summary = document.createElement("summary");
      summary.textContent = say("detail");
      const words = document.createElement("code");
      words.lang = "en";
      words.setAttribute("translate", "no");
      words.textContent = detail;
      more.append(summary, words);
      problem.appendChild(more);
    }
  }

  function showRows(body) {
    const head = table.tHead;
    const rows = table.tBodies[0];
    head.replaceChildren();
    rows.replaceChildren();
    const names = head.insertRow();
    body.columns.forEach((name) => {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      names.appendChild(th);
    });
    body.rows.forEach((values) => {
      const row = rows.insertRow();
      values.forEach((value) => {
        row.insertCell().textContent = value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
      });
    });
    output.hidden = false;
    const values = { n: body.rows.length.toLocaleString(), ms: body.elapsed_ms };
    status.textContent = say(body.truncated ? "status_truncated" : "status", values);
  }

  // the query whose result the table shows, and its status line
  let shown = null;
  let shownStatus = "";

  async function run(sql) {
    status.textContent = say("running");
    let response;
    let body = {};
    try {
      response = await fetch(`/api/sql?${new URLSearchParams({ sql })}`);
      body = await response.json();
    } catch (error) {
      showProblem("other", null);
      status.textContent = "";
      return false;
    }
    if (!response.ok) {
      const error = body.error || {};
      showProblem(error.code || "other", [error.message, error.hint].filter(Boolean).join(" "));
      status.textContent = say("kept");  // the previous results stay
      return false;
    }
    showProblem(null);
    showRows(body);
    shown = sql;
    shownStatus = status.textContent;
    return true;
  }

  function remember(sql) {
    const params = new URLSearchParams(window.location.search);
    if (params.get("_sql") === sql) return;
    params.set("_sql", sql);
    history.pushState(null, "", `${window.location.pathname}?${params}${window.location.hash}`);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const sql = text.value.trim();
    if (!sql) {
      showProblem("validation_error", null);
      return;
    }
    remember(sql);
    await run(sql);
  });
  // Ctrl+Enter (⌘+Enter) runs the query from the text box, as in Datasette
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  function fromUrl() {
    const sql = new URLSearchParams(window.location.search).get("_sql");
    if (!sql) return;
    text.value = sql;
    if (sql === shown) {
      // back or forward to the query shown (or the explorer's own history): not run again
      showProblem(null);
      status.textContent = shownStatus;
      return;
    }
    run(sql);
  }
  window.addEventListener("popstate", fromUrl);
  fromUrl();
})();
