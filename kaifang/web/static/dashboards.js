// kaifang dashboards: each .dashboard section's form queries an analyses (or aggregate)
// endpoint, and the answer is drawn by charts.js (Apache ECharts) with a table of the same
// numbers. Text goes in with textContent only.
(function () {
  "use strict";
  const K = window.kaifangCharts;
  // the page's messages, from the portal's translation catalogue, in the page's language
  const holder = document.getElementById("dashboard-messages");
  const messages = JSON.parse((holder && holder.dataset.messages) || "{}");
  function say(key, values) {
    const text = messages["dashjs." + key] || key;
    return text.replace(/\{(\w+)\}/g, (match, name) => (values && name in values ? String(values[name]) : match));
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
  async function getJSON(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }

  const sum = (rows, key, value) => {
    const totals = new Map();
    rows.forEach((r) => totals.set(key(r), (totals.get(key(r)) || 0) + Number(value(r) || 0)));
    return totals;
  };
  const CATEGORIES = ["home", "car", "motorcycle", "bike"];
  const LEVELS = ["k1", "e1", "j1", "high", "u1", "sp1"];
  const pairs = (map) => Array.from(map).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  const DRAW = {
    "freeway-volume": async (figure, body) => {
      const data = pairs(sum(body.rows, (r) => r.hour, (r) => r.volume));
      await K.series(figure, {
        title: say("volume"), kind: "line", xName: say("hour"), yName: say("vehicles"),
        labels: data.map((d) => d[0]), series: [{ name: say("vehicles"), values: data.map((d) => d[1]) }],
        table: { head: [say("hour"), say("vehicles")], rows: data },
      });
    },
    "freeway-travel": async (figure, body) => {
      const rows = body.rows;
      await K.series(figure, {
        title: say("travel"), kind: "line", xName: say("time"), yName: say("speed"),
        labels: rows.map((r) => r.time),
        series: [{ name: say("speed"), values: rows.map((r) => Number(r.speed_kmh) || 0), flagged: rows.map((r) => r.congested) }],
        table: { head: [say("time"), say("speed"), say("congested")], rows: rows.map((r) => [r.time, Number(r.speed_kmh) || 0, r.congested ? say("yes") : ""]) },
      });
    },
    "freeway-busiest": async (figure, body) => {
      const rows = body.rows;
      const labels = rows.map((r) => `${r.GantryFrom}→${r.GantryTo}`);
      await K.series(figure, {
        title: say("busiest"), kind: "bar", xName: say("section"), yName: say("vehicles"), labels,
        series: [{ name: say("vehicles"), values: rows.map((r) => Number(r.volume) || 0) }],
        table: { head: [say("section"), say("vehicles"), say("speed")], rows: rows.map((r, i) => [labels[i], Number(r.volume) || 0, r.speed_kmh]) },
      });
    },
    // Each section placed at its first gantry, from the published gantry table's coordinates.
    "freeway-map": async (figure, body, section, form) => {
      const measure = form.querySelector("[name=measure]").value;
      const resource = section.dataset.gantries;
      const where = new Map();
      const page = await getJSON(`/api/resources/${encodeURIComponent(resource)}/rows?_limit=10000&_fields=GantryID,latitude,longitude,interchange_from,interchange_to`);
      page.rows.forEach((g) => where.set(g.GantryID, g));
      const placed = body.rows.filter((r) => where.has(r.GantryFrom));
      const value = (r) => Number(measure === "speed" ? r.speed_kmh : r.volume) || 0;
      const unit = measure === "speed" ? say("speed") : say("vehicles");
      await K.points(figure, {
        title: say(measure === "speed" ? "map_speed" : "map_volume"), valueName: unit,
        points: placed.map((r) => ({ name: `${r.GantryFrom}→${r.GantryTo}`, lon: where.get(r.GantryFrom).longitude, lat: where.get(r.GantryFrom).latitude, value: value(r) })),
        cut: { shown: placed.length, total: body.rows.length },
        table: { head: [say("section"), say("vehicles"), say("speed"), say("latitude"), say("longitude")], rows: placed.map((r) => [`${r.GantryFrom}→${r.GantryTo}`, Number(r.volume) || 0, r.speed_kmh, where.get(r.GantryFrom).latitude, where.get(r.GantryFrom).longitude]) },
      });
    },
    "theft-heatmap": async (figure, body) => {
      const totals = sum(body.rows, (r) => `${r.district}|${r.start_hour}~${r.end_hour}`, (r) => r.cases);
      const districts = Array.from(new Set(body.rows.map((r) => r.district))).sort();
      const bandRows = new Map(body.rows.map((r) => [`${r.start_hour}~${r.end_hour}`, Number(r.start_hour)]));
      const bands = Array.from(bandRows.keys()).sort((a, b) => bandRows.get(a) - bandRows.get(b));
      await K.heatmap(figure, {
        title: say("heatmap"), rows: districts, cols: bands, xName: say("band"), yName: say("district"), valueName: say("cases"),
        cell: (d, b) => totals.get(`${d}|${b}`) || 0,
      });
    },
    "theft-trend": async (figure, body) => {
      const months = Array.from(new Set(body.rows.map((r) => r.month))).sort();
      const present = CATEGORIES.filter((c) => body.rows.some((r) => r.category === c));
      const cell = new Map(body.rows.map((r) => [`${r.month}|${r.category}`, Number(r.cases) || 0]));
      await K.series(figure, {
        title: say("trend"), kind: "line", xName: say("month"), yName: say("cases"), labels: months,
        series: present.map((c) => ({ name: say("cat_" + c), values: months.map((m) => cell.get(`${m}|${c}`) || 0) })),
        table: { head: [say("month"), ...present.map((c) => say("cat_" + c))], rows: months.map((m) => [m, ...present.map((c) => cell.get(`${m}|${c}`) || 0)]) },
      });
    },
    // Districts on the town boundaries, or villages on the village boundaries (fetched only
    // when the village level is asked for); places that name no village are counted apart.
    "theft-map": async (figure, body, section, form) => {
      const level = form.querySelector("[name=group_by]").value.includes("village") ? "village" : "district";
      const rows = body.rows.filter((r) => r.district);
      if (level === "village") {
        const named = rows.filter((r) => r.village).sort((a, b) => b.count - a.count);
        const unnamed = rows.filter((r) => !r.village).reduce((n, r) => n + (Number(r.count) || 0), 0);
        await K.choropleth(figure, {
          title: say("village_map"), level: "village", valueName: say("cases"),
          values: named.map((r) => ({ county: r.county, town: r.district, village: r.village, value: r.count })),
          table: { head: [say("county"), say("district"), say("village"), say("cases")], rows: named.map((r) => [r.county, r.district, r.village, r.count]) },
        });
        if (unnamed) {
          const note = document.createElement("p");
          note.className = "muted";
          note.textContent = say("no_village", { n: unnamed.toLocaleString() });
          figure.insertBefore(note, figure.querySelector("details"));
        }
        return;
      }
      await K.choropleth(figure, {
        title: say("theft_map"), level: "town", valueName: say("cases"),
        values: rows.map((r) => ({ county: r.county, town: r.district, value: r.count })),
        table: { head: [say("county"), say("district"), say("cases")], rows: rows.map((r) => [r.county, r.district, r.count]) },
      });
    },
    "schools-county": async (figure, body) => {
      const counties = pairs(sum(body.rows, (r) => r["縣市名稱"] || say("unknown"), (r) => r.count)).sort((a, b) => b[1] - a[1]);
      const present = LEVELS.filter((l) => body.rows.some((r) => r.level === l));
      const cell = new Map(body.rows.map((r) => [`${r["縣市名稱"] || say("unknown")}|${r.level}`, Number(r.count) || 0]));
      const names = counties.map((c) => c[0]);
      await K.series(figure, {
        title: say("schools_county"), kind: "bar", stack: true, xName: say("county"), yName: say("schools"), labels: names,
        series: present.map((l) => ({ name: say("level_" + l), values: names.map((c) => cell.get(`${c}|${l}`) || 0) })),
        table: { head: [say("county"), ...present.map((l) => say("level_" + l)), say("total")], rows: counties.map(([c, n]) => [c, ...present.map((l) => cell.get(`${c}|${l}`) || 0), n]) },
      });
      const map = document.createElement("figure");
      map.className = "chart-map";
      figure.after(map);
      const old = figure.parentElement.querySelectorAll(".chart-map");
      old.forEach((m) => { if (m !== map) m.remove(); });
      await K.choropleth(map, {
        title: say("schools_map"), level: "county", valueName: say("schools"),
        values: counties.map(([c, n]) => ({ county: c, value: n })),
        table: { head: [say("county"), say("schools")], rows: counties },
      });
    },
    "schools-ownership": async (figure, body) => {
      const owners = ["公立", "私立", null];
      const present = LEVELS.filter((l) => body.rows.some((r) => r.level === l));
      const cell = new Map(body.rows.map((r) => [`${r.level}|${r["公/私立"]}`, Number(r.count) || 0]));
      const ownerName = (o) => say(o === "公立" ? "public" : o === "私立" ? "private" : "unstated");
      const shown = owners.filter((o) => body.rows.some((r) => r["公/私立"] === o));
      await K.series(figure, {
        title: say("schools_ownership"), kind: "bar", xName: say("level"), yName: say("schools"),
        labels: present.map((l) => say("level_" + l)),
        series: shown.map((o) => ({ name: ownerName(o), values: present.map((l) => cell.get(`${l}|${o}`) || 0) })),
        table: { head: [say("level"), ...shown.map(ownerName)], rows: present.map((l) => [say("level_" + l), ...shown.map((o) => cell.get(`${l}|${o}`) || 0)]) },
      });
    },
    // Per area: the leading candidate (✓ where the CEC marks the elected), their party and
    // share, and the turnout; a county map coloured by the leading party.
    "elections": async (figure, body, section, form) => {
      const areas = new Map();
      body.rows.forEach((r) => {
        const area = r["名稱"] || say("unknown");
        if (!areas.has(area)) areas.set(area, { area, county: r["名稱"], turnout: Number(r.turnout) || 0, rows: [] });
        areas.get(area).rows.push(r);
      });
      const list = Array.from(areas.values());
      list.forEach((a) => { a.rows.sort((x, y) => y["得票數"] - x["得票數"]); a.lead = a.rows[0]; });
      const parties = Array.from(sum(body.rows, (r) => r["政黨名稱"] || say("unknown"), (r) => r["得票數"])).sort((a, b) => b[1] - a[1]).map((p) => p[0]);
      const colour = (party) => K.COLORS[parties.indexOf(party) % K.COLORS.length];
      const elected = (r) => String(r["當選註記"] || "").trim() !== "";
      const shown = list.slice(0, 60);
      await K.series(figure, {
        title: say("turnout"), kind: "bar", xName: say("area"), yName: say("turnout_axis"),
        labels: shown.map((a) => a.area), series: [{ name: say("turnout_axis"), values: shown.map((a) => a.turnout) }],
        cut: { shown: shown.length, total: list.length },
        table: {
          head: [say("area"), say("leader"), say("party"), say("votes"), say("share"), say("turnout_axis")],
          rows: list.map((a) => [a.area, { text: (elected(a.lead) ? "✓ " : "") + a.lead["名字"], className: elected(a.lead) ? "winner" : "" }, a.lead["政黨名稱"] || "", Number(a.lead["得票數"]) || 0, a.lead.vote_share, a.turnout]),
        },
      });
      figure.querySelector("details.chart-data").open = true;
      const note = document.createElement("p");
      note.className = "muted";
      note.textContent = say("winner_note");
      figure.appendChild(note);
      section.querySelectorAll(".chart-map").forEach((m) => m.remove());
      if (form.querySelector("[name=level]").value !== "county") return;
      const map = document.createElement("figure");
      map.className = "chart-map";
      figure.after(map);
      await K.choropleth(map, {
        title: say("leader_map"), level: "county", categorical: true, valueName: say("share"),
        values: list.map((a) => ({ county: a.county, value: a.lead.vote_share, label: `${a.lead["名字"]}（${a.lead["政黨名稱"] || ""}）${a.lead.vote_share}%`, color: colour(a.lead["政黨名稱"] || say("unknown")) })),
        table: { head: [say("area"), say("leader"), say("party"), say("share")], rows: list.map((a) => [a.area, a.lead["名字"], a.lead["政黨名稱"] || "", a.lead.vote_share]) },
      });
      const legend = document.createElement("ul");
      legend.className = "legend";
      legend.setAttribute("translate", "no");
      parties.filter((p) => list.some((a) => (a.lead["政黨名稱"] || say("unknown")) === p)).forEach((p) => {
        const li = document.createElement("li");
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = colour(p);
        li.append(swatch, p);
        legend.appendChild(li);
      });
      map.insertBefore(legend, map.querySelector("details"));
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
        // fields the page uses itself (data-local) are not sent
        const field = form.elements.namedItem(key);
        if (field && field.dataset && field.dataset.local) return;
        if (value !== "") params.append(key, String(value));
      });
      message(figure, say("loading"), false);
      try {
        const response = await fetch(`${path}?${params}`, { signal: controller.signal });
        const body = await response.json().catch(() => ({}));
        await K.ready;  // the drawing below starts at once, so a newer run's abort is seen here
        if (controller.signal.aborted) return;
        if (!response.ok) {
          const detail = body.error ? body.error.message : Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : String(response.status);
          message(figure, say("failed"), true, detail);
          return;
        }
        if (!body.rows || body.rows.length === 0) { message(figure, say("no_data"), false); return; }
        await draw(figure, body, section, form);
      } catch (error) {
        if (!controller.signal.aborted) message(figure, String(error), true);
      }
    }
    form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
    if (section.dataset.autoload) run();
  });
})();
