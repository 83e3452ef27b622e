// kaifang resource explorer: a table preview over /api/resources/{id}/rows (filters, sort,
// keyset paging) and a chart builder over /api/resources/{id}/aggregate, drawn as SVG.
// No external libraries; text is inserted with textContent, never as HTML.
(function () {
  "use strict";
  const root = document.getElementById("explorer");
  if (!root) return;
  const resource = root.dataset.resource;
  const tbody = root.querySelector("#preview tbody");
  // every column is shown; nested ones (lists, records) have no sort button
  const columns = Array.from(root.querySelectorAll("#preview thead th")).map((th) => th.dataset.column);
  const state = { filters: [], sort: null, desc: false, next: null, cursors: [] };

  function query(extra) {
    const params = new URLSearchParams();
    state.filters.forEach(([key, value]) => params.append(key, value));
    if (state.sort) params.set(state.desc ? "_sort_desc" : "_sort", state.sort);
    params.set("_limit", "25");
    Object.entries(extra || {}).forEach(([k, v]) => params.set(k, v));
    return params;
  }

  async function load(cursor) {
    const params = query(cursor ? { _next: cursor } : {});
    const response = await fetch(`/api/resources/${encodeURIComponent(resource)}/rows?${params}`);
    const body = await response.json();
    tbody.replaceChildren();
    if (!response.ok) {
      const row = tbody.insertRow();
      const cell = row.insertCell();
      cell.colSpan = columns.length;
      cell.textContent = body.error ? body.error.message : String(response.status);
      cell.className = "error";
      return;
    }
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
    const status = document.getElementById("preview-status");
    const zh = document.documentElement.lang === "zh-TW";
    status.textContent = body.rows.length === 0
      ? (zh ? "沒有符合的資料列。" : "No rows match.")
      : zh ? `顯示第 ${first}–${first + body.rows.length - 1} 筆（符合 ${body.total} 筆）`
        : `Rows ${first}–${first + body.rows.length - 1} of ${body.total}`;
  }

  root.querySelector("#filters").addEventListener("submit", (event) => {
    event.preventDefault();
    const column = document.getElementById("filter-column").value;
    const op = document.getElementById("filter-op").value;
    const value = document.getElementById("filter-value").value;
    state.filters.push([column + op, value]);
    state.cursors = [];
    document.getElementById("active-filters").textContent = state.filters.map(([k, v]) => `${k} = ${v}`).join(" · ");
    load(null);
  });
  document.getElementById("filter-clear").addEventListener("click", () => {
    state.filters = [];
    state.cursors = [];
    document.getElementById("active-filters").textContent = "";
    load(null);
  });
  root.querySelectorAll("#preview thead .sort").forEach((button) => {
    button.addEventListener("click", () => {
      state.desc = state.sort === button.dataset.column ? !state.desc : false;
      state.sort = button.dataset.column;
      state.cursors = [];
      root.querySelectorAll("#preview thead th").forEach((th) => th.removeAttribute("aria-sort"));
      button.parentElement.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
      load(null);
    });
  });
  document.getElementById("next-page").addEventListener("click", () => {
    if (!state.next) return;
    state.cursors.push(state.next);
    load(state.next);
  });
  document.getElementById("first-page").addEventListener("click", () => { state.cursors = []; load(null); });
  load(null);

  // -- chart builder ------------------------------------------------------------------------
  const SVG = "http://www.w3.org/2000/svg";
  function el(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, String(v)));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function draw(rows, group, metricKey, kind) {
    const figure = document.getElementById("chart");
    figure.replaceChildren();
    const data = rows.slice(0, 60).map((r) => [String(r[group]), Number(r[metricKey]) || 0]);
    const width = 720, height = 320, left = 60, bottom = 80, top = 10;
    const max = Math.max(1, ...data.map((d) => d[1]));
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart" });
    svg.appendChild(el("title", {}, `${metricKey} by ${group}`));
    const step = (width - left) / Math.max(1, data.length);
    const y = (v) => top + (height - bottom - top) * (1 - v / max);
    svg.appendChild(el("line", { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: "axis" }));
    svg.appendChild(el("text", { x: 4, y: y(max) + 4, "font-size": 11 }, max.toLocaleString()));
    if (kind === "line") {
      const points = data.map((d, i) => `${left + step * i + step / 2},${y(d[1])}`).join(" ");
      svg.appendChild(el("polyline", { points, class: "line" }));
    }
    data.forEach(([label, value], i) => {
      const x = left + step * i;
      if (kind !== "line") {
        const bar = el("rect", { x: x + 2, y: y(value), width: Math.max(1, step - 4), height: height - bottom - y(value), class: "bar" });
        bar.appendChild(el("title", {}, `${label}: ${value}`));
        svg.appendChild(bar);
      }
      svg.appendChild(el("text", { x: x + step / 2, y: height - bottom + 12, "font-size": 10, transform: `rotate(45 ${x + step / 2} ${height - bottom + 12})` }, label.slice(0, 16)));
    });
    figure.appendChild(svg);
    const caption = document.createElement("figcaption");
    caption.textContent = `${metricKey} / ${group} (${data.length})`;
    figure.appendChild(caption);
  }

  const chartForm = document.getElementById("chart-form");
  chartForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const group = document.getElementById("chart-group").value;
    const metric = document.getElementById("chart-metric").value;
    const kind = document.getElementById("chart-kind").value;
    const params = query({ group_by: group, metric });
    params.delete("_limit"); params.delete("_sort"); params.delete("_sort_desc");
    const response = await fetch(`/api/resources/${encodeURIComponent(resource)}/aggregate?${params}`);
    const body = await response.json();
    if (!response.ok) {
      const figure = document.getElementById("chart");
      figure.replaceChildren();
      const p = document.createElement("p");
      p.className = "error";
      p.textContent = body.error ? body.error.message : String(response.status);
      figure.appendChild(p);
      return;
    }
    const key = metric === "count" ? "count" : metric.replace(":", "_");
    draw(body.rows, group, key, kind);
  });
})();
