// kaifang dashboards: each .dashboard section's form queries an analyses endpoint and the
// answer is drawn as SVG here (no external libraries; text goes in with textContent only).
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  // the page's messages, from the portal's translation catalogue, in the page's language
  const holder = document.getElementById("dashboard-messages");
  const messages = JSON.parse((holder && holder.dataset.messages) || "{}");
  function say(key, values) {
    const text = messages["dashjs." + key] || key;
    return text.replace(/\{(\w+)\}/g, (match, name) => (values && name in values ? String(values[name]) : match));
  }
  function el(name, attrs, text) {
    const node = document.createElementNS(SVG, name);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, String(v)));
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svgBox(width, height, title) {
    const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "chart" });
    svg.appendChild(el("title", {}, title));
    return svg;
  }
  // ``detail`` is the server's own (English) explanation, marked as such.
  function message(figure, text, isError, detail) {
    figure.replaceChildren();
    const p = document.createElement("p");
    p.textContent = text;
    if (detail) {
      const span = document.createElement("span");
      span.lang = "en";
      span.textContent = detail;
      p.appendChild(span);
    }
    if (isError) p.className = "error";
    figure.appendChild(p);
  }
  function caption(figure, text) {
    const c = document.createElement("figcaption");
    c.textContent = text;
    figure.appendChild(c);
  }

  // A line (or bars) of [label, value] pairs; flagged points drawn in the alert colour.
  function series(figure, data, title, kind, flagged) {
    // drawn at the figure's own width, so that the text keeps its size on a phone
    const width = Math.max(320, Math.min(760, figure.clientWidth || 760));
    const height = 300, left = 60, bottom = 70, top = 12, right = 30;
    const max = Math.max(1, ...data.map((d) => d[1]));
    const step = (width - left - right) / Math.max(1, data.length);
    const y = (v) => top + (height - bottom - top) * (1 - v / max);
    const svg = svgBox(width, height, title);
    svg.appendChild(el("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: "axis" }));
    svg.appendChild(el("text", { x: 2, y: top + 10 }, max.toLocaleString()));
    svg.appendChild(el("text", { x: 2, y: height - bottom }, "0"));
    if (kind === "line") {
      svg.appendChild(el("polyline", { class: "line", points: data.map((d, i) => `${left + step * i + step / 2},${y(d[1])}`).join(" ") }));
    }
    const every = Math.max(1, Math.ceil(data.length / Math.max(4, Math.floor((width - left - right) / (kind === "bar" ? 24 : 60)))));
    const short = (label) => String(label).replace(/^\d{4}-(\d\d-\d\d)[T ](\d\d:\d\d).*$/, "$1 $2").slice(0, 16);
    data.forEach(([label, value], i) => {
      const x = left + step * i;
      const mark = kind === "line"
        ? el("circle", { cx: x + step / 2, cy: y(value), r: 3, class: flagged && flagged[i] ? "dot alert" : "dot" })
        : el("rect", { x: x + 1, y: y(value), width: Math.max(1, step - 2), height: height - bottom - y(value), class: flagged && flagged[i] ? "bar alert" : "bar" });
      mark.setAttribute("translate", "no");  // its tooltip names a place, a time or a gantry: data
      mark.appendChild(el("title", {}, `${label}: ${value.toLocaleString()}`));
      svg.appendChild(mark);
      if (i % every === 0) {
        const tx = x + step / 2, ty = height - bottom + 12;
        svg.appendChild(el("text", { x: tx, y: ty, transform: `rotate(40 ${tx} ${ty})`, translate: "no" }, short(label)));
      }
    });
    figure.replaceChildren(svg);
    caption(figure, say("points", { title, n: data.length }));
  }

  // A heat map: rows × columns of counts, darker = more.
  function heatmap(figure, rows, cols, cell, title) {
    const left = 90, top = 40, w = 54, h = 24;
    const width = left + w * cols.length + 10, height = top + h * rows.length + 10;
    const max = Math.max(1, ...rows.flatMap((r) => cols.map((c) => cell(r, c))));
    const svg = svgBox(width, height, title);
    svg.setAttribute("width", String(width));
    svg.classList.add("fixed");
    cols.forEach((c, j) => svg.appendChild(el("text", { x: left + w * j + w / 2, y: top - 8, "text-anchor": "middle", translate: "no" }, c)));
    rows.forEach((r, i) => {
      svg.appendChild(el("text", { x: left - 6, y: top + h * i + h / 2 + 4, "text-anchor": "end", translate: "no" }, r));
      cols.forEach((c, j) => {
        const n = cell(r, c);
        const level = Math.min(5, Math.ceil((5 * n) / max));
        const rect = el("rect", { x: left + w * j, y: top + h * i, width: w - 2, height: h - 2, class: `heat heat-${level}`, translate: "no" });
        rect.appendChild(el("title", {}, `${r} ${c}: ${n}`));
        svg.appendChild(rect);
        svg.appendChild(el("text", { x: left + w * j + w / 2, y: top + h * i + h / 2 + 4, "text-anchor": "middle", class: level >= 4 ? "on-dark" : "" }, String(n)));
      });
    });
    figure.replaceChildren(svg);
    caption(figure, title);
  }

  const sum = (rows, key, value) => {
    const totals = new Map();
    rows.forEach((r) => totals.set(key(r), (totals.get(key(r)) || 0) + Number(value(r) || 0)));
    return totals;
  };

  const DRAW = {
    "freeway-volume": (figure, body) => {
      const totals = sum(body.rows, (r) => r.hour, (r) => r.volume);
      series(figure, Array.from(totals).sort(), say("volume"), "line");
    },
    "freeway-travel": (figure, body) => {
      const data = body.rows.map((r) => [r.time, Number(r.speed_kmh) || 0]);
      series(figure, data, say("travel"), "line", body.rows.map((r) => r.congested));
    },
    "freeway-busiest": (figure, body) => {
      const data = body.rows.map((r) => [`${r.GantryFrom}→${r.GantryTo}`, Number(r.volume) || 0]);
      series(figure, data, say("busiest"), "bar");
    },
    "theft-heatmap": (figure, body) => {
      const totals = sum(body.rows, (r) => `${r.district}|${r.start_hour}~${r.end_hour}`, (r) => r.cases);
      const districts = Array.from(new Set(body.rows.map((r) => r.district))).sort();
      const bandRows = new Map(body.rows.map((r) => [`${r.start_hour}~${r.end_hour}`, Number(r.start_hour)]));
      const bands = Array.from(bandRows.keys()).sort((a, b) => bandRows.get(a) - bandRows.get(b));
      heatmap(figure, districts, bands, (d, b) => totals.get(`${d}|${b}`) || 0, say("heatmap"));
    },
    "theft-trend": (figure, body) => {
      const totals = sum(body.rows, (r) => r.month, (r) => r.cases);
      series(figure, Array.from(totals).sort(), say("trend"), "line");
    },
    "elections": (figure, body) => {
      const turnout = new Map();
      body.rows.forEach((r) => turnout.set(r["名稱"], Number(r.turnout) || 0));
      series(figure, Array.from(turnout), say("turnout"), "bar");
      const top = body.rows.slice().sort((a, b) => b["得票數"] - a["得票數"]).slice(0, 30);
      const list = document.createElement("table");
      const head = list.createTHead().insertRow();
      [say("area"), say("candidate"), say("party"), say("votes"), say("share")].forEach((h) => {
        const th = document.createElement("th"); th.scope = "col"; th.textContent = h; head.appendChild(th);
      });
      const tbody = list.createTBody();
      tbody.setAttribute("translate", "no");  // names of places, people and parties: data
      top.forEach((r) => {
        const row = tbody.insertRow();
        [r["名稱"], r["名字"], r["政黨名稱"], Number(r["得票數"]).toLocaleString(), r.vote_share].forEach((v) => { row.insertCell().textContent = v === null || v === undefined ? "" : String(v); });
      });
      figure.appendChild(list);
    },
  };

  document.querySelectorAll(".dashboard").forEach((section) => {
    const form = section.querySelector("form");
    const figure = section.querySelector(".chart-area");
    const draw = DRAW[section.dataset.kind];
    // A new run cancels the one in flight, so an older request that answers late (the page's
    // own first draw, say) never replaces what the newer one showed.
    let inFlight = null;
    async function run() {
      if (inFlight) inFlight.abort();
      const controller = new AbortController();
      inFlight = controller;
      const params = new URLSearchParams();
      let path = form.getAttribute("action");
      new FormData(form).forEach((value, key) => {
        // A path template such as /api/analyses/elections/{election}/results takes that field.
        const template = form.getAttribute("data-path");
        if (template && template.includes(`{${key}}`)) { path = template.replace(`{${key}}`, encodeURIComponent(value)); return; }
        if (value !== "") params.append(key, String(value));
      });
      message(figure, say("loading"), false);
      try {
        const response = await fetch(`${path}?${params}`, { signal: controller.signal });
        const body = await response.json().catch(() => ({}));
        if (controller.signal.aborted) return;
        if (!response.ok) {
          const detail = body.error ? body.error.message : Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : String(response.status);
          message(figure, say("failed"), true, detail);
          return;
        }
        if (!body.rows || body.rows.length === 0) { message(figure, say("no_data"), false); return; }
        draw(figure, body);
      } catch (error) {
        if (!controller.signal.aborted) message(figure, String(error), true);
      }
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
    if (section.dataset.autoload) run();
  });
})();
