// kaifang resource explorer: a table preview over /api/resources/{id}/rows (filters, sort,
// keyset paging) and a chart builder over /api/resources/{id}/aggregate, drawn by charts.js
// (Apache ECharts, served by kaifang); text is inserted with textContent, never as HTML.
(function () {
  "use strict";
  const root = document.getElementById("explorer");
  if (!root) return;
  const resource = root.dataset.resource;
  const tableTotal = Number(root.dataset.total) || 0;
  // the page's messages, from the portal's translation catalogue, in the page's language
  const messages = JSON.parse(root.dataset.messages || "{}");
  function say(key, values) {
    const text = messages["explorer." + key] || key;
    return text.replace(/\{(\w+)\}/g, (match, name) => (values && name in values ? String(values[name]) : match));
  }
  const tbody = root.querySelector("#preview tbody");
  // every column is shown; nested ones (lists, records) have no sort button
  const columns = Array.from(root.querySelectorAll("#preview thead th")).map((th) => th.dataset.column);
  const types = {};
  root.querySelectorAll("#filter-column option").forEach((o) => { types[o.value] = o.dataset.type; });
  const state = { filters: [], sort: null, desc: false, next: null, cursors: [] };
  const problem = document.getElementById("filter-error");

  function query(extra, filters) {
    const params = new URLSearchParams();
    (filters || state.filters).forEach(([key, value]) => params.append(key, value));
    if (state.sort) params.set(state.desc ? "_sort_desc" : "_sort", state.sort);
    params.set("_limit", "25");
    Object.entries(extra || {}).forEach(([k, v]) => params.set(k, v));
    return params;
  }

  // The matching-row count: the filters only (aggregates sort and limit their groups, and a
  // row column is not one of them).
  function countQuery(filters) {
    const params = new URLSearchParams();
    filters.forEach(([key, value]) => params.append(key, value));
    params.set("metric", "count");
    return params;
  }

  function showProblem(text) {
    problem.textContent = text;
    problem.hidden = !text;
  }

  // A value the column's type cannot hold never reaches the server: DuckDB would only refuse
  // it with its own (English) conversion error.
  const PATTERNS = {
    integer: /^[+-]?\d+$/,
    number: /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/,
    date: /^\d{4}-\d{2}-\d{2}$/,
    datetime: /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/,
    boolean: /^(true|false|1|0|yes|no)$/i,
  };
  function badValue(column, op, value) {
    const type = types[column];
    if (op === "__contains" || op === "__startswith" || !(type in PATTERNS)) return null;
    if (PATTERNS[type].test(value.trim())) return null;
    return say("bad_value", { value, column, type: say("type." + type) });
  }

  async function fetchJson(url) {
    const response = await fetch(url);
    let body = {};
    try { body = await response.json(); } catch (error) { body = {}; }
    return { ok: response.ok, body };
  }

  // -- the view in the URL --------------------------------------------------------------------
  // The page's address holds the view in the rows API's own words (``col__gt=5``, ``_sort``,
  // ``_sort_desc``), so a shared link restores it, back and forward walk it, and the export
  // links reuse it as they are. Only the page's own parameters start with "_" or are "lang".
  const OPS = ["__ne", "__gt", "__gte", "__lt", "__lte", "__contains", "__startswith"];
  const OP_SIGNS = { "": "=", __ne: "≠", __gt: ">", __gte: "≥", __lt: "<", __lte: "≤" };
  function splitKey(key) {
    const op = OPS.find((o) => key.endsWith(o) && key.length > o.length) || "";
    return [key.slice(0, key.length - op.length), op];
  }
  function viewFromUrl() {
    const params = new URLSearchParams(window.location.search);
    const filters = [];
    params.forEach((value, key) => {
      if (key.startsWith("_") || key === "lang") return;
      if (key in types || splitKey(key)[0] in types) filters.push([key, value]);
    });
    const down = params.get("_sort_desc");
    const up = params.get("_sort");
    const sort = [down, up].find((name) => name && root.querySelector(`#preview thead .sort[data-column="${CSS.escape(name)}"]`)) || null;
    return { filters, sort, desc: Boolean(sort && sort === down) };
  }
  function viewParams() {
    const params = new URLSearchParams();
    state.filters.forEach(([key, value]) => params.append(key, value));
    if (state.sort) params.set(state.desc ? "_sort_desc" : "_sort", state.sort);
    return params;
  }
  // The address of the current view, keeping the page's other parameters (the chart's and the
  // SQL box's, which start with "_", and the language); ``push`` adds a history entry.
  function remember(push) {
    const params = viewParams();
    new URLSearchParams(window.location.search).forEach((value, key) => {
      if ((key.startsWith("_") && key !== "_sort" && key !== "_sort_desc") || key === "lang") params.set(key, value);
    });
    const search = params.toString();
    const url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
    if (url === window.location.pathname + window.location.search + window.location.hash) return;
    (push ? history.pushState : history.replaceState).call(history, null, "", url);
  }

  // The download links: the same filters and sort, every format (the download API reads them).
  function showExport() {
    const params = viewParams();
    document.querySelectorAll("#export a[data-format]").forEach((link) => {
      const own = new URLSearchParams(link.dataset.params || "");
      params.forEach((value, key) => own.append(key, value));
      const search = own.toString();
      link.href = `/api/resources/${encodeURIComponent(resource)}/download.${link.dataset.format}${search ? "?" + search : ""}`;
    });
    const note = document.getElementById("export-filtered");
    if (note) note.hidden = state.filters.length === 0;
    const api = document.getElementById("view-api");
    if (api) {
      params.set("_limit", "100");
      api.textContent = `curl '${api.dataset.base}/api/resources/${encodeURIComponent(resource)}/rows?${params}'`;
    }
  }

  function showSort() {
    root.querySelectorAll("#preview thead th").forEach((th) => th.removeAttribute("aria-sort"));
    if (!state.sort) return;
    const button = root.querySelector(`#preview thead .sort[data-column="${CSS.escape(state.sort)}"]`);
    if (button) button.parentElement.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
  }

  // Loads a page with ``filters``; on failure nothing is replaced (the previous rows stay) and
  // false is returned; null when a later load started meanwhile (its answer wins, whatever
  // order the answers arrive in: back and forward can start loads quickly).
  let loads = 0;
  async function load(cursor, filters) {
    const mine = ++loads;
    const candidate = filters || state.filters;
    const params = query(cursor ? { _next: cursor } : {}, candidate);
    const counting = candidate.length
      ? fetchJson(`/api/resources/${encodeURIComponent(resource)}/aggregate?${countQuery(candidate)}`)
      : Promise.resolve(null);
    const [page, counted] = await Promise.all([
      fetchJson(`/api/resources/${encodeURIComponent(resource)}/rows?${params}`),
      counting,
    ]);
    if (mine !== loads) return null;
    if (!page.ok || (counted && !counted.ok)) {
      showProblem(say("failed"));
      return false;
    }
    showProblem("");
    const body = page.body;
    tbody.replaceChildren();
    body.rows.forEach((record) => {
      const row = tbody.insertRow();
      columns.forEach((name) => {
        const value = record[name];
        row.insertCell().textContent = value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
      });
    });
    state.next = body.next;
    document.getElementById("next-page").disabled = !body.next;
    const first = state.cursors.length * 25 + 1;
    const total = body.total ?? tableTotal;
    const values = { first, last: first + body.rows.length - 1, total: total.toLocaleString() };
    const status = document.getElementById("preview-status");
    if (body.rows.length === 0) {
      status.textContent = say("none", values);
    } else if (counted) {
      status.textContent = say("status_matched", { ...values, matched: Number(counted.body.rows[0].count).toLocaleString() });
    } else {
      status.textContent = say("status", values);
    }
    return true;
  }

  function showFilters() {
    document.getElementById("active-filters").textContent = state.filters
      .map(([key, value]) => {
        const [column, op] = splitKey(key);
        return op in OP_SIGNS ? `${column} ${OP_SIGNS[op]} ${value}` : `${column} ${say(op.slice(2))} ${value}`;
      })
      .join(" · ");
    showExport();
  }

  root.querySelector("#filters").addEventListener("submit", async (event) => {
    event.preventDefault();
    const column = document.getElementById("filter-column").value;
    const op = document.getElementById("filter-op").value;
    const value = document.getElementById("filter-value").value;
    const refused = badValue(column, op, value);
    if (refused) {
      showProblem(refused);
      document.getElementById("filter-value").setAttribute("aria-invalid", "true");
      return;
    }
    document.getElementById("filter-value").removeAttribute("aria-invalid");
    const filters = [...state.filters, [column + op, value]];
    const saved = state.cursors;
    state.cursors = [];
    const loaded = await load(null, filters);
    if (loaded) {
      state.filters = filters;
      showFilters();
      remember(true);
    } else if (loaded === false) {
      state.cursors = saved;
    }
  });
  document.getElementById("filter-clear").addEventListener("click", () => {
    state.filters = [];
    state.cursors = [];
    showProblem("");
    document.getElementById("filter-value").removeAttribute("aria-invalid");
    showFilters();
    remember(true);
    load(null);
  });
  root.querySelectorAll("#preview thead .sort").forEach((button) => {
    button.addEventListener("click", () => {
      state.desc = state.sort === button.dataset.column ? !state.desc : false;
      state.sort = button.dataset.column;
      state.cursors = [];
      showSort();
      showExport();
      remember(true);
      load(null);
    });
  });
  document.getElementById("next-page").addEventListener("click", () => {
    if (!state.next) return;
    state.cursors.push(state.next);
    load(state.next);
  });
  document.getElementById("first-page").addEventListener("click", () => { state.cursors = []; load(null); });

  // The view the address names: on opening the page, and on back and forward.
  function restore() {
    Object.assign(state, viewFromUrl(), { cursors: [], next: null });
    showProblem("");
    showSort();
    showFilters();
    return load(null);
  }
  window.addEventListener("popstate", () => { restore(); });
  restore();

  // -- chart builder ------------------------------------------------------------------------
  // drawn by charts.js (Apache ECharts), with a table of the same numbers
  function draw(rows, group, metricKey, metricLabel, kind) {
    const data = rows.slice(0, 60).map((r) => [String(r[group]), Number(r[metricKey]) || 0]);
    window.kaifangCharts.series(document.getElementById("chart"), {
      title: say("chart_caption", { metric: metricLabel, group, n: rows.length }),
      kind, xName: group, yName: metricLabel, labels: data.map((d) => d[0]),
      series: [{ name: metricLabel, values: data.map((d) => d[1]) }],
      cut: { shown: data.length, total: rows.length },
      table: { head: [group, metricLabel], rows: data },
    });
  }

  const chartForm = document.getElementById("chart-form");
  chartForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const group = document.getElementById("chart-group").value;
    const metricSelect = document.getElementById("chart-metric");
    const metric = metricSelect.value;
    const metricLabel = metricSelect.selectedOptions[0].textContent.trim();
    const kind = document.getElementById("chart-kind").value;
    const params = query({ group_by: group, metric });
    params.delete("_limit"); params.delete("_sort"); params.delete("_sort_desc");
    const response = await fetch(`/api/resources/${encodeURIComponent(resource)}/aggregate?${params}`);
    const body = response.ok ? await response.json() : {};
    if (!response.ok) {
      const figure = document.getElementById("chart");
      figure.replaceChildren();
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = say("chart_failed");
      figure.appendChild(p);
      return;
    }
    const key = metric === "count" ? "count" : metric.replace(":", "_");
    draw(body.rows, group, key, metricLabel, kind);
  });
  // -- the chart choice in the URL ----------------------------------------------------------
  // A hook on the chart form only (whatever draws the chart): a drawn chart's kind, groups and
  // metric go to the address as _chart, _group and _metric, and an address that names them
  // draws that chart when the page opens or history returns to it.
  const CHART_FIELDS = { _chart: "chart-kind", _group: "chart-group", _metric: "chart-metric" };
  chartForm.addEventListener("submit", () => {
    const params = new URLSearchParams(window.location.search);
    Object.entries(CHART_FIELDS).forEach(([key, id]) => params.set(key, document.getElementById(id).value));
    const url = `${window.location.pathname}?${params}${window.location.hash}`;
    if (url !== window.location.pathname + window.location.search + window.location.hash) history.pushState(null, "", url);
  });
  function chartFromUrl() {
    const params = new URLSearchParams(window.location.search);
    if (!params.get("_chart")) return;
    const chosen = Object.entries(CHART_FIELDS).every(([key, id]) => {
      const select = document.getElementById(id);
      const value = params.get(key);
      if (value === null || !Array.from(select.options).some((o) => o.value === value)) return key !== "_chart" && value === null;
      select.value = value;
      return true;
    });
    if (chosen) chartForm.requestSubmit();
  }
  window.addEventListener("popstate", chartFromUrl);
  chartFromUrl();
})();
