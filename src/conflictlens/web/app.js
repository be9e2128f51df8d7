// conflictlens web app: timeline, alliance network, map, actors, document reader, ask, search.
// Plain JS + SVG, no library. Document text is untrusted: the DOM is built with createElement
// and text nodes only (never innerHTML), and the server's Content-Security-Policy forbids
// inline script as a second guard.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const SVGNS = "http://www.w3.org/2000/svg";
const state = { summary: null, cache: new Map() };
window.clTimings = {};  // view → ms from the start of the route to its first paint (browser tests read it)

// --- DOM helpers: attributes are set one by one, children strings become text nodes ---
function el(tag, attrs = {}, ...kids) {
  const n = document.createElement(tag);
  return fill(n, attrs, kids);
}
function svg(tag, attrs = {}, ...kids) {
  return fill(document.createElementNS(SVGNS, tag), attrs, kids);
}
function fill(n, attrs, kids) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false)
    n.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return n;
}
const link = (href, text, attrs = {}) => el("a", { href, ...attrs }, text);
const actorLink = (ref) => ref ? link(`#/actor/${encodeURIComponent(ref.id)}`, ref.name, { class: "actor-link" }) : "?";
const docHref = (ev) => `#/doc/${encodeURIComponent(ev.doc)}?s=${ev.start}&e=${ev.end}`;
function joinNodes(items, sep = ", ") { const out = []; items.forEach((x, i) => { if (i) out.push(sep); out.push(x); }); return out; }

async function api(path) {
  if (state.cache.has(path)) return state.cache.get(path);
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || body.detail || r.statusText);
  if (state.cache.size > 200) state.cache.clear();
  state.cache.set(path, body);
  return body;
}
const qs = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null)).toString();

// --- colours ---
const TYPE_COLORS = { state: "#1f77b4", government: "#4e9bd8", armed_group: "#d62728", political_party: "#9467bd",
  organisation: "#8c564b", person: "#e377c2", ethnic_group: "#bcbd22", intelligence_agency: "#17becf", military_unit: "#7f7f7f" };
const REL_COLORS = { supports: "#2b9348", recognizes: "#1c7ed6", allied_with: "#12b886", fights: "#e03131",
  hostile_to: "#f76707", leads: "#7048e8", member_of: "#868e96", controls: "#a0522d", part_of: "#adb5bd",
  sheltered: "#82a40c", ceased_support: "#d6336c" };
const PALETTE = ["#4263eb", "#e8590c", "#2f9e44", "#c2255c", "#7048e8", "#1098ad", "#f59f00", "#5c940d", "#862e9c", "#495057"];
const typeColor = (t) => TYPE_COLORS[t] || "#666";
const relColor = (r) => REL_COLORS[r] || "#444";
function eventColor(type) {
  const types = Object.keys(state.summary?.event_types || {});
  const i = types.indexOf(type);
  return PALETTE[(i < 0 ? types.length : i) % PALETTE.length];
}

// --- side panel: a fact, its quotes in context, links to the document span ---
function openPanel(...nodes) {
  $("#panel-body").replaceChildren(...nodes);
  $("#panel").hidden = false;
}
$("#panel-close").addEventListener("click", () => { $("#panel").hidden = true; });

function quoteBlock(ctx) {
  return el("div", { class: "evidence" },
    el("div", { class: "muted" }, `${ctx.doc}${ctx.page ? ` p. ${ctx.page}` : ""} [${ctx.start}:${ctx.end}] `,
      link(docHref(ctx), "open in document →", { class: "open-doc" })),
    el("div", { class: "quote" }, ctx.before ? "…" + ctx.before : "", el("mark", {}, ctx.quote), ctx.after ? ctx.after + "…" : ""));
}

// how far to trust a fact: confirmed by the user, or the measured precision of its method
function trustLine(r) {
  if (r.confirmed) return el("p", { class: "confidence" }, "confirmed");
  if (r.confidence == null) return "";
  return el("p", { class: "confidence muted" }, `confidence ${Math.round(r.confidence * 100)} %`,
    r.method ? ` (${r.method})` : "");
}

async function showFact(id) {
  openPanel(el("p", { class: "muted" }, "loading…"));
  let f;
  try { f = await api(`/api/facts/${encodeURIComponent(id)}`); } catch (e) { openPanel(el("p", { class: "error" }, e.message)); return; }
  const r = f.record, who = [];
  if (f.kind === "event") {
    who.push(el("p", {}, el("span", { class: "pill" }, r.type), r.date, r.place ? ` · ${r.place}` : ""),
      el("p", {}, "Who: ", joinNodes(r.agents.map(actorLink)), r.targets.length ? [" → ", joinNodes(r.targets.map(actorLink))] : ""));
  } else if (f.kind === "relation") {
    who.push(el("p", {}, actorLink(r.source), ` ${r.relation} `, actorLink(r.target)),
      el("p", {}, link(`#/network?a=${encodeURIComponent(r.source.id)}&b=${encodeURIComponent(r.target.id)}`, "relation history of this pair")));
  } else if (f.kind === "actor") {
    who.push(el("p", {}, link(`#/actor/${encodeURIComponent(r.id)}`, "actor page")));
  }
  openPanel(el("div", { class: "fact", "data-fact": f.id },
    el("h2", {}, `${f.id} · ${f.kind}`), el("p", {}, f.description), ...who, trustLine(r),
    el("h3", {}, f.evidence.length === 1 ? "Quote" : `Quotes (${f.evidence.length})`),
    ...f.evidence.map(quoteBlock)));
}

async function showHistory(a, b) {
  openPanel(el("p", { class: "muted" }, "loading…"));
  const h = await api(`/api/relations/history?${qs({ a, b })}`);
  const factLink = (id) => link("#", id, { class: "fact-link", onclick: (e) => { e.preventDefault(); showFact(id); } });
  openPanel(el("div", { class: "history" },
    el("h2", {}, actorLink(h.a), " — ", actorLink(h.b)),
    el("p", { class: "muted" }, `${h.entries.length} span(s) of relation, in date order`),
    ...h.entries.map((x) => el("div", { class: "fact history-entry" },
      el("p", {}, el("span", { class: "pill" }, x.start || x.end ? `${x.start || "?"}–${x.end || ""}` : "undated"),
        actorLink(x.source), ` ${x.symmetric ? "↔" : "→"} `, el("b", {}, x.relation),
        x.qualifiers.length ? ` [${x.qualifiers.join(", ")}]` : "", " ", actorLink(x.target)),
      x.change ? el("p", { class: "muted" }, "ended by ", x.change, x.ended_by ? [" (", factLink(x.ended_by), ")"] : "") : "",
      el("p", { class: "muted" }, "facts: ", joinNodes(x.relation_ids.map(factLink))),
      ...x.evidence.map((ev) => el("div", { class: "quote" }, ev.quote, " ", link(docHref(ev), "→", { class: "open-doc", title: "open in document" })))))));
}

// --- routing: #/view/arg?params ---
// A malformed escape ("#/actor/%E0%A4%A") throws in decodeURIComponent; it used to blank the
// app. Such a part is kept as typed.
function decodePart(p) {
  try { return decodeURIComponent(p); } catch { return p; }
}

function route() {
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodePart);
  return { view: parts[0] || "timeline", arg: parts.slice(1).join("/"), params: new URLSearchParams(query || "") };
}

const VIEWS = {};
async function render() {
  const t0 = performance.now();
  const { view, arg, params } = route();
  document.body.removeAttribute("data-ready");
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.view === view);
  const fn = VIEWS[view] || VIEWS.timeline;
  const root = $("#view");
  try {
    if (!state.summary) await loadSummary();
    await fn(root, arg, params);
  } catch (e) {
    root.replaceChildren(el("p", { class: "error" }, `Could not show this view: ${e.message}`));
  }
  // First paint: wait for the browser to lay out what the view drew.
  requestAnimationFrame(() => {
    window.clTimings[view] = Math.round(performance.now() - (state.first ? t0 : 0));
    state.first = true;
    document.body.dataset.ready = view;
  });
}
window.addEventListener("hashchange", render);

async function loadSummary() {
  const s = await api("/api/summary");
  state.summary = s;
  $("#kb-summary").textContent = `${s.documents} documents · ${s.actors} actors · ${s.events} events · ${s.relations} relations · ${s.figures} figures`;
}

$("#search-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("#search-input").value.trim();
  if (q) location.hash = `#/search/${encodeURIComponent(q)}`;
});

// --- a zoomable time axis ---
function parseISO(v) {
  const m = /^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(v || "");
  if (!m) return null;
  const y = +m[1], mo = m[2] ? +m[2] : 0, d = m[3] ? +m[3] : 0;
  return { x: y + (mo ? (mo - 1) / 12 : 0) + (d ? (d - 1) / 365 : 0), size: d ? 1 / 365 : mo ? 1 / 12 : 1 };
}
// [start, end] of a time in fractional years; precision decides the width of a vague date.
function timeSpan(t) {
  if (!t || !t.value) return null;
  const a = parseISO(t.value);
  if (!a) return null;
  const size = t.precision === "decade" ? 10 : a.size;
  const b = t.value_end ? parseISO(t.value_end) : null;
  const end = b ? b.x + (t.precision === "decade" ? 10 : b.size) : a.x + size;
  return [a.x, Math.max(end, a.x + size)];
}
function ticks(d0, d1, px) {
  const span = d1 - d0, steps = [1 / 12, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100];
  const step = steps.find((s) => span / s <= px / 70) || 100;
  const out = [];
  for (let x = Math.ceil(d0 / step) * step; x <= d1; x += step) out.push(+x.toFixed(4));
  return { step, out };
}
function tickLabel(x, step) {
  const y = Math.floor(x + 1e-6), m = Math.round((x - y) * 12);
  return step < 1 ? `${y}-${String(m + 1).padStart(2, "0")}` : String(y);
}

VIEWS.timeline = async (root, _arg, params) => {
  const s = state.summary;
  const f = { actor: params.get("actor") || "", type: params.get("type") || "", doc: params.get("doc") || "" };
  const [events, actors] = await Promise.all([api(`/api/events?${qs(f)}`), api("/api/actors?limit=300")]);
  const items = events.map((e) => ({ e, span: timeSpan(e.time) })).filter((x) => x.span);
  const undated = events.filter((e) => !timeSpan(e.time));
  const setFilter = (k, v) => { const p = new URLSearchParams(f); p.set(k, v); location.hash = `#/timeline?${qs(Object.fromEntries(p))}`; };
  const typeSel = el("select", { id: "f-type", onchange: (e) => setFilter("type", e.target.value) }, el("option", { value: "" }, "all types"),
    ...Object.keys(s.event_types).map((t) => el("option", { value: t, selected: t === f.type }, `${t} (${s.event_types[t]})`)));
  const docSel = el("select", { id: "f-doc", onchange: (e) => setFilter("doc", e.target.value) }, el("option", { value: "" }, "all documents"),
    ...s.documents_list.map((d) => el("option", { value: d.name, selected: d.name === f.doc }, d.title || d.name)));
  const actorIn = el("input", { id: "f-actor", list: "actor-names", value: f.actor, placeholder: "any actor", size: 22,
    onchange: (e) => setFilter("actor", e.target.value) });
  const dl = el("datalist", { id: "actor-names" }, ...actors.map((a) => el("option", { value: a.name })));
  const W = Math.max(600, root.clientWidth - 40), LANE = 13, TOP = 24;
  const all = items.length ? [Math.min(...items.map((x) => x.span[0])), Math.max(...items.map((x) => x.span[1]))] : [1990, 2000];
  let dom = [all[0] - 0.5, all[1] + 0.5];
  const chart = svg("svg", { id: "timeline-svg", width: W, height: 200 });
  const list = el("tbody");
  const info = el("span", { class: "muted" });

  function draw() {
    const X = (x) => ((x - dom[0]) / (dom[1] - dom[0])) * W;
    const { step, out } = ticks(dom[0], dom[1], W);
    const visible = items.filter((it) => it.span[1] >= dom[0] && it.span[0] <= dom[1]).sort((a, b) => a.span[0] - b.span[0]);
    const lanes = [];
    const shapes = visible.map((it) => {
      const x0 = X(it.span[0]), w = Math.max(8, X(it.span[1]) - x0);
      let lane = lanes.findIndex((end) => end < x0 - 2);
      if (lane < 0) { lane = lanes.length; lanes.push(0); }
      lanes[lane] = x0 + w;
      const vague = it.span[1] - it.span[0] > 1 / 12 + 1e-6 || (it.e.time.modifier && it.e.time.modifier !== "");
      const y = TOP + lane * LANE, color = eventColor(it.e.type);
      const shape = w > 10
        ? svg("rect", { x: x0, y, width: w, height: LANE - 3, rx: 3, fill: color })
        : svg("circle", { cx: x0 + 4, cy: y + (LANE - 3) / 2, r: 5, fill: color });
      shape.setAttribute("class", `ev${vague ? " vague" : ""}`);
      shape.dataset.id = it.e.id;
      shape.append(svg("title", {}, `${it.e.description}`));
      shape.addEventListener("click", () => { select(it.e.id); showFact(it.e.id); });
      return shape;
    });
    const H = TOP + Math.max(1, lanes.length) * LANE + 8;
    chart.setAttribute("height", H);
    chart.replaceChildren(
      ...out.map((x) => svg("g", { class: "tick" }, svg("line", { x1: X(x), x2: X(x), y1: 16, y2: H }),
        svg("text", { x: X(x) + 2, y: 12 }, tickLabel(x, step)))),
      ...shapes);
    info.textContent = `${visible.length} of ${items.length} dated events shown · ${undated.length} undated · scroll to zoom, drag to pan`;
    list.replaceChildren(...visible.slice(0, 300).map((it) => eventRow(it.e)));
  }
  function select(id) {
    for (const n of chart.querySelectorAll(".ev.selected")) n.classList.remove("selected");
    const n = chart.querySelector(`.ev[data-id="${CSS.escape(id)}"]`);
    if (n) n.classList.add("selected");
  }
  let pending = false;
  const redraw = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; draw(); }); } };
  const zoom = (k, cx) => {
    const c = dom[0] + (cx / W) * (dom[1] - dom[0]);
    const w = Math.min(300, Math.max(0.05, (dom[1] - dom[0]) * k));
    dom = [c - ((c - dom[0]) / (dom[1] - dom[0])) * w, 0]; dom[1] = dom[0] + w; redraw();
  };
  chart.addEventListener("wheel", (e) => { e.preventDefault(); zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX); }, { passive: false });
  let drag = null;
  chart.addEventListener("mousedown", (e) => { drag = { x: e.clientX, dom: dom.slice() }; });
  window.addEventListener("mouseup", () => { drag = null; });
  chart.addEventListener("mousemove", (e) => {
    if (!drag) return;
    const d = ((e.clientX - drag.x) / W) * (drag.dom[1] - drag.dom[0]);
    dom = [drag.dom[0] - d, drag.dom[1] - d]; redraw();
  });
  root.replaceChildren(
    el("h1", {}, "Timeline"),
    el("div", { class: "controls" }, el("label", {}, "Actor ", actorIn), dl, el("label", {}, "Type ", typeSel),
      el("label", {}, "Document ", docSel),
      el("button", { id: "zoom-in", onclick: () => zoom(0.5, W / 2) }, "+"), el("button", { id: "zoom-out", onclick: () => zoom(2, W / 2) }, "−"),
      el("button", { id: "zoom-reset", onclick: () => { dom = [all[0] - 0.5, all[1] + 0.5]; redraw(); } }, "all"),
      link("#/timeline", "clear filters")),
    el("div", { class: "legend" }, ...Object.keys(s.event_types).map((t) => el("span", {}, el("i", { class: "sw", style: null }), t))),
    el("div", { class: "scroll" }, chart), info,
    el("table", { id: "event-list" }, el("thead", {}, el("tr", {}, el("th", {}, "date"), el("th", {}, "type"), el("th", {}, "event"), el("th", {}, "quote"))), list),
    undated.length ? el("details", {}, el("summary", {}, `${undated.length} undated events`),
      el("table", {}, el("tbody", {}, ...undated.slice(0, 500).map(eventRow)))) : "");
  // Swatch colours are set through the style property, never through markup.
  root.querySelectorAll(".legend .sw").forEach((n, i) => { n.style.background = eventColor(Object.keys(s.event_types)[i]); });
  draw();
};

function eventRow(e) {
  const q = e.evidence[0]?.quote || "";
  return el("tr", { class: "click event-row", "data-id": e.id, onclick: () => showFact(e.id) },
    el("td", {}, e.date), el("td", {}, el("span", { class: "pill" }, e.type)), el("td", {}, e.description),
    el("td", { class: "muted" }, q.length > 140 ? q.slice(0, 139) + "…" : q));
}

// --- alliance network with a time slider ---
function layout(nodes, edges, W, H) {
  // Force-directed layout (Fruchterman & Reingold 1991) from a deterministic start on a circle,
  // with a pull to the centre so that small components stay near; then scaled to the box.
  const n = nodes.length, pos = nodes.map((_, i) => ({ x: Math.cos((2 * Math.PI * i) / n) * 100, y: Math.sin((2 * Math.PI * i) / n) * 100, dx: 0, dy: 0 }));
  const idx = new Map(nodes.map((d, i) => [d.id, i]));
  const k = 40;
  let temp = 60;
  for (let it = 0; it < 200; it++) {
    for (const p of pos) { p.dx = -p.x * 0.6; p.dy = -p.y * 0.6; }
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
      const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y, d2 = Math.max(0.01, dx * dx + dy * dy), f = (k * k) / d2;
      pos[i].dx += dx * f; pos[i].dy += dy * f; pos[j].dx -= dx * f; pos[j].dy -= dy * f;
    }
    for (const e of edges) {
      const a = pos[idx.get(e.source.id)], b = pos[idx.get(e.target.id)];
      const dx = a.x - b.x, dy = a.y - b.y, f = Math.hypot(dx, dy) / k;
      a.dx -= dx * f; a.dy -= dy * f; b.dx += dx * f; b.dy += dy * f;
    }
    for (const p of pos) {
      const d = Math.max(0.01, Math.hypot(p.dx, p.dy)), m = Math.min(d, temp);
      p.x += (p.dx / d) * m; p.y += (p.dy / d) * m;
    }
    temp = Math.max(1, temp * 0.98);
  }
  const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const sx = (W - 160) / Math.max(1, x1 - x0), sy = (H - 60) / Math.max(1, y1 - y0);
  for (const p of pos) { p.x = 40 + (p.x - x0) * sx; p.y = 30 + (p.y - y0) * sy; }
  return new Map(nodes.map((d, i) => [d.id, pos[i]]));
}

VIEWS.network = async (root, _arg, params) => {
  const full = await api("/api/network");
  const years = full.years || [null, null];
  const W = Math.max(700, root.clientWidth - 40), H = 620;
  const degree = new Map();
  for (const e of full.edges) for (const x of [e.source.id, e.target.id]) degree.set(x, (degree.get(x) || 0) + 1);
  const pos = layout(full.nodes, full.edges, W, H);
  const hidden = new Set();
  const g = svg("g");
  const chart = svg("svg", { id: "network-svg", width: W, height: H, viewBox: `0 0 ${W} ${H}` },
    svg("defs", {}, ...Object.entries(REL_COLORS).map(([r, c]) => svg("marker", { id: `arrow-${r}`, viewBox: "0 0 10 10", refX: 18, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", fill: c })))), g);
  const pairCount = new Map();
  const edgeNodes = full.edges.map((e) => {
    const a = pos.get(e.source.id), b = pos.get(e.target.id);
    const key = [e.source.id, e.target.id].sort().join("|"), nth = pairCount.get(key) || 0;
    pairCount.set(key, nth + 1);
    // Several relations between one pair are drawn as curves bent apart.
    const bend = (nth % 2 ? -1 : 1) * Math.ceil(nth / 2) * 22, mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
    const len = Math.max(1, Math.hypot(b.x - a.x, b.y - a.y)), cx = mx - ((b.y - a.y) / len) * bend, cy = my + ((b.x - a.x) / len) * bend;
    const d = `M${a.x},${a.y} Q${cx},${cy} ${b.x},${b.y}`;
    const open = () => { for (const s of g.querySelectorAll(".edge.selected")) s.classList.remove("selected"); line.classList.add("selected"); showHistory(e.source.id, e.target.id); };
    const line = svg("path", { d, class: "edge", stroke: relColor(e.relation), "data-id": e.id, "data-rel": e.relation,
      "marker-end": e.symmetric ? null : `url(#arrow-${e.relation})`, "stroke-dasharray": e.start || e.end ? null : "4 3" });
    const hit = svg("path", { d, class: "edge-hit", "data-id": e.id, onclick: open }, svg("title", {}, e.description));
    line.addEventListener("click", open);
    return { e, line, hit };
  });
  const nodeNodes = full.nodes.map((a) => {
    const p = pos.get(a.id), deg = degree.get(a.id) || 1, r = 4 + Math.min(12, Math.sqrt(deg) * 2.2);
    return { a, n: svg("g", { class: "node", "data-id": a.id, transform: `translate(${p.x},${p.y})`,
      onclick: () => { location.hash = `#/actor/${encodeURIComponent(a.id)}`; } },
    svg("circle", { r, fill: typeColor(a.type) }, svg("title", {}, `${a.name} (${a.type}) — ${deg} relation(s)`)),
    deg >= 3 || full.nodes.length < 40 ? svg("text", { x: r + 2, y: 4 }, a.name) : null) };
  });
  g.append(...edgeNodes.map((x) => x.line), ...edgeNodes.map((x) => x.hit), ...nodeNodes.map((x) => x.n));

  const slider = el("input", { id: "year", type: "range", min: years[0] ?? 0, max: years[1] ?? 0, step: 1, value: params.get("year") || years[1] || 0, disabled: !years[0] });
  const allYears = el("input", { id: "all-years", type: "checkbox", checked: !params.get("year") });
  const undated = el("input", { id: "undated", type: "checkbox" });
  const yearLabel = el("b", { id: "year-label" });
  const count = el("span", { class: "muted", id: "edge-count" });
  let timer = null;
  async function apply() {
    const year = allYears.checked ? null : +slider.value;
    yearLabel.textContent = year === null ? "all years" : `as of ${year}`;
    const net = year === null ? full : await api(`/api/network?${qs({ year, undated: undated.checked })}`);
    const on = new Set(net.edges.map((e) => e.id)), live = new Set(net.nodes.map((a) => a.id));
    let shown = 0;
    for (const { e, line, hit } of edgeNodes) {
      const off = !on.has(e.id) || hidden.has(e.relation);
      line.classList.toggle("off", off); hit.classList.toggle("off", off); shown += off ? 0 : 1;
    }
    for (const { a, n } of nodeNodes) n.classList.toggle("dim", !live.has(a.id));
    count.textContent = `${shown} relations between ${live.size} actors`;
    chart.dataset.year = year ?? "all";
  }
  const later = () => { clearTimeout(timer); timer = setTimeout(apply, 80); };
  slider.addEventListener("input", () => { allYears.checked = false; later(); });
  allYears.addEventListener("change", later); undated.addEventListener("change", later);
  const legend = el("div", { class: "legend" }, ...Object.keys(REL_COLORS).filter((r) => full.edges.some((e) => e.relation === r)).map((r) => {
    const sp = el("span", { class: "toggle", title: "click to hide or show", onclick: () => {
      if (hidden.has(r)) hidden.delete(r); else hidden.add(r); sp.classList.toggle("hidden"); apply(); } },
    el("i", { class: "sw" }), r);
    sp.firstChild.style.background = relColor(r);
    return sp;
  }));
  const typeLegend = el("div", { class: "legend" }, ...Object.keys(TYPE_COLORS).filter((t) => full.nodes.some((a) => a.type === t)).map((t) => {
    const sp = el("span", {}, el("i", { class: "sw" }), t.replace("_", " "));
    sp.firstChild.style.background = typeColor(t); sp.firstChild.style.borderRadius = "50%";
    return sp;
  }));
  let vb = [0, 0, W, H], pan = null;
  chart.addEventListener("wheel", (e) => {
    e.preventDefault();
    const box = chart.getBoundingClientRect(), k = e.deltaY > 0 ? 1.2 : 1 / 1.2;
    const cx = vb[0] + (e.offsetX / box.width) * vb[2], cy = vb[1] + (e.offsetY / box.height) * vb[3];
    vb = [cx - (cx - vb[0]) * k, cy - (cy - vb[1]) * k, vb[2] * k, vb[3] * k];
    chart.setAttribute("viewBox", vb.join(" "));
  }, { passive: false });
  chart.addEventListener("mousedown", (e) => { if (e.target === chart) pan = { x: e.clientX, y: e.clientY, vb: vb.slice() }; });
  window.addEventListener("mouseup", () => { pan = null; });
  chart.addEventListener("mousemove", (e) => {
    if (!pan) return;
    const s = pan.vb[2] / chart.getBoundingClientRect().width;
    vb = [pan.vb[0] - (e.clientX - pan.x) * s, pan.vb[1] - (e.clientY - pan.y) * s, vb[2], vb[3]];
    chart.setAttribute("viewBox", vb.join(" "));
  });
  root.replaceChildren(el("h1", {}, "Alliance network"),
    el("div", { class: "controls" }, el("label", {}, "Year ", slider), yearLabel,
      el("label", {}, allYears, " all years"), el("label", {}, undated, " with undated relations"), count),
    legend, typeLegend,
    el("p", { class: "muted" }, "Arrows point from source to target; dashed: undated. Click an edge for its history with quotes, a node for the actor."),
    chart);
  await apply();
  if (params.get("a") && params.get("b")) showHistory(params.get("a"), params.get("b"));
};

// --- map: event places on an equirectangular projection (no tiles, no network) ---
VIEWS.map = async (root, _arg, params) => {
  const from = params.get("from") || "", to = params.get("to") || "";
  const [pl, events] = await Promise.all([api(`/api/places?${qs({ from, to })}`), api(`/api/events?${qs({ from, to })}`)]);
  const byId = new Map(events.map((e) => [e.id, e]));
  const W = Math.max(600, root.clientWidth - 40), H = 520, pts = pl.located;
  let lon = pts.map((p) => p.lon), lat = pts.map((p) => p.lat);
  if (!pts.length) { lon = [0]; lat = [0]; }
  let x0 = Math.min(...lon), x1 = Math.max(...lon), y0 = Math.min(...lat), y1 = Math.max(...lat);
  const midLat = (y0 + y1) / 2, kx = Math.cos((midLat * Math.PI) / 180);
  // Pad the box and keep its shape: one degree of latitude = 1/cos(lat) degrees of longitude.
  const padX = Math.max(4, (x1 - x0) * 0.15), padY = Math.max(3, (y1 - y0) * 0.15);
  x0 -= padX; x1 += padX; y0 -= padY; y1 += padY;
  const s = Math.min(W / ((x1 - x0) * kx), H / (y1 - y0));
  const X = (lo) => (lo - (x0 + x1) / 2) * kx * s + W / 2, Y = (la) => H / 2 - (la - (y0 + y1) / 2) * s;
  const grid = [];
  const step = (x1 - x0) > 60 ? 20 : (x1 - x0) > 20 ? 10 : 5;
  for (let g = Math.ceil(x0 / step) * step; g <= x1; g += step) grid.push(svg("g", { class: "tick" }, svg("line", { x1: X(g), x2: X(g), y1: 0, y2: H }), svg("text", { x: X(g) + 2, y: H - 4 }, `${g}°`)));
  for (let g = Math.ceil(y0 / step) * step; g <= y1; g += step) grid.push(svg("g", { class: "tick" }, svg("line", { x1: 0, x2: W, y1: Y(g), y2: Y(g) }), svg("text", { x: 2, y: Y(g) - 2 }, `${g}°`)));
  const showPlace = (p) => openPanel(el("div", { class: "place-events" }, el("h2", {}, p.name),
    el("p", { class: "muted" }, `${p.events.length} event(s)` + (p.kind === "country" ? " · a country, drawn at its capital" : "")),
    el("table", {}, el("tbody", {}, ...p.events.map((id) => byId.get(id)).filter(Boolean).map(eventRow)))));
  const marks = pts.map((p) => {
    const r = 3 + Math.sqrt(p.events.length) * 3, x = X(p.lon), y = Y(p.lat);
    const shape = p.kind === "country" ? svg("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r, fill: "#e8590c" })
      : svg("circle", { cx: x, cy: y, r, fill: "#2458b3" });
    shape.setAttribute("class", `place ${p.kind}`);
    shape.dataset.name = p.name;
    shape.append(svg("title", {}, `${p.name}: ${p.events.length} event(s)`));
    shape.addEventListener("click", () => showPlace(p));
    return svg("g", {}, shape, svg("text", { x: x + r + 2, y: y + 4 }, p.name));
  });
  const fromIn = el("input", { id: "map-from", type: "number", value: from, placeholder: "from", style: null, min: -5000, max: 3000 });
  const toIn = el("input", { id: "map-to", type: "number", value: to, placeholder: "to", min: -5000, max: 3000 });
  const go = () => { location.hash = `#/map?${qs({ from: fromIn.value, to: toIn.value })}`; };
  root.replaceChildren(el("h1", {}, "Map of event places"),
    el("div", { class: "controls" }, el("label", {}, "Years ", fromIn), " – ", toIn, el("button", { id: "map-apply", onclick: go }, "filter"),
      link("#/map", "all years"), el("span", { class: "muted" }, `${pts.length} places located · ${pl.unlocated.length} not in the gazetteer`)),
    svg("svg", { id: "map-svg", width: W, height: H, viewBox: `0 0 ${W} ${H}` }, ...grid, ...marks),
    el("p", { class: "muted" }, "Circles: towns and cities (GeoNames). Squares: countries, drawn at their capital. Size: number of events."),
    pl.unlocated.length ? el("details", {}, el("summary", {}, `Places not on the map (${pl.unlocated.length})`),
      el("ul", {}, ...pl.unlocated.map((p) => el("li", {}, link("#", `${p.name} (${p.events.length})`, { onclick: (e) => { e.preventDefault(); showPlace(p); } }))))) : "");
};

// --- actors list and actor page ---
VIEWS.actors = async (root, _arg, params) => {
  const q = params.get("q") || "", type = params.get("type") || "";
  const rows = await api(`/api/actors?${qs({ q, type, limit: 200 })}`);
  const go = () => { location.hash = `#/actors?${qs({ q: qIn.value, type: tSel.value })}`; };
  const qIn = el("input", { id: "actor-q", value: q, placeholder: "name contains", onchange: go });
  const tSel = el("select", { onchange: go }, el("option", { value: "" }, "all types"),
    ...Object.keys(state.summary.actor_types).map((t) => el("option", { value: t, selected: t === type }, t)));
  root.replaceChildren(el("h1", {}, "Actors"), el("div", { class: "controls" }, qIn, tSel, el("span", { class: "muted" }, `${rows.length} shown, most mentioned first${rows.length === 200 ? " (type a name to find others)" : ""}`)),
    el("table", {}, el("thead", {}, el("tr", {}, ...["name", "type", "other names", "mentions"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rows.map((a) => el("tr", {}, el("td", {}, actorLink(a)), el("td", {}, a.type),
        el("td", { class: "muted" }, a.aliases.slice(0, 6).join("; ")), el("td", {}, a.mention_count))))));
};

VIEWS.actor = async (root, arg) => {
  const p = await api(`/api/actors/${encodeURIComponent(arg)}`);
  const a = p.actor;
  const when = (r) => (r.start || r.end ? `${r.start || "?"}–${r.end || ""}` : "");
  root.replaceChildren(
    el("h1", {}, a.name, " ", el("span", { class: "pill" }, a.type), el("span", { class: "muted" }, a.id)),
    a.aliases.length ? el("p", {}, "Also called: ", a.aliases.join("; ")) : "",
    el("p", {}, "Documents: ", joinNodes(p.documents.map((d) => link(`#/doc/${encodeURIComponent(d.name)}`, `${d.name} (${d.mentions})`)))),
    el("h2", {}, `Relations (${p.relations.length})`),
    el("table", { id: "actor-relations" }, el("tbody", {}, ...p.relations.map((r) => el("tr", { class: "click", onclick: () => showFact(r.id) },
      el("td", {}, `${r.direction} ${r.relation}${r.qualifier ? ` [${r.qualifier}]` : ""}`), el("td", {}, actorLink(r.other)),
      el("td", {}, when(r)), el("td", { class: "muted" }, r.evidence[0]?.quote.slice(0, 160) || ""))))),
    el("h2", {}, `Events (${p.events.length})`),
    el("table", { id: "actor-events" }, el("tbody", {}, ...p.events.map(eventRow))),
    p.figures.length ? [el("h2", {}, `Figures (${p.figures.length})`),
      el("table", {}, el("tbody", {}, ...p.figures.map((f) => el("tr", { class: "click", onclick: () => showFact(f.id) },
        el("td", {}, f.kind), el("td", {}, f.range), el("td", {}, f.what)))))] : "");
  root.querySelectorAll("a.actor-link").forEach((n) => n.addEventListener("click", (e) => e.stopPropagation()));
};

// --- documents: list and reader with every fact's span highlighted ---
VIEWS.docs = async (root) => {
  root.replaceChildren(el("h1", {}, "Documents"), el("ul", {}, ...state.summary.documents_list.map((d) =>
    el("li", {}, link(`#/doc/${encodeURIComponent(d.name)}`, d.title || d.name), el("span", { class: "muted" }, ` ${d.name} · ${d.words} words`)))));
};

VIEWS.doc = async (root, arg, params) => {
  const d = await api(`/api/documents/${encodeURIComponent(arg)}`);
  const text = d.text, spans = d.spans;
  const ts = params.has("s") ? +params.get("s") : null, te = params.has("e") ? +params.get("e") : null;
  // Cut the text at every span boundary; each piece knows the facts that cover it.
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  // A PDF's pages: a marker where each starts (the marker is not part of the text).
  const pageAt = new Map((d.pages || []).map((p, i) => [p, i + 1]));
  for (const p of pageAt.keys()) cuts.add(p);
  if (ts !== null) { cuts.add(ts); cuts.add(te); }
  const bs = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const frag = document.createDocumentFragment(), pieces = [];
  let si = 0, active = [], firstTarget = null;
  for (let k = 0; k < bs.length - 1; k++) {
    const a = bs[k], b = bs[k + 1];
    if (pageAt.has(a)) frag.append(el("span", { class: "page-mark" }, `page ${pageAt.get(a)}`));
    while (si < spans.length && spans[si].start <= a) active.push(spans[si++]);
    active = active.filter((s) => s.end > a);
    const target = ts !== null && a >= ts && b <= te;
    if (!active.length && !target) { frag.append(document.createTextNode(text.slice(a, b))); continue; }
    const kinds = new Set(active.map((s) => s.kind));
    const n = el("span", { class: ["hl", ...[...kinds].map((k) => `k-${k}`), target ? "target" : ""].join(" ").trim(), "data-i": pieces.length });
    n.textContent = text.slice(a, b);
    pieces.push(active.slice());
    if (target && !firstTarget) firstTarget = n;
    frag.append(n);
  }
  const body = el("div", { id: "doc-text" });
  body.append(frag);
  body.addEventListener("click", (e) => {
    const n = e.target.closest(".hl");
    if (!n || !n.dataset.i) return;
    const facts = pieces[+n.dataset.i];
    const seen = new Set();
    const items = facts.filter((s) => !seen.has(s.kind + s.id) && seen.add(s.kind + s.id)).map((s) => el("li", {},
      el("span", { class: "pill" }, s.kind),
      s.kind === "mention" ? link(`#/actor/${encodeURIComponent(s.id)}`, `actor ${s.id}`) : link("#", s.id, { class: "fact-link", onclick: (ev) => { ev.preventDefault(); showFact(s.id); } })));
    openPanel(el("h2", {}, "Facts read here"), el("ul", { class: "span-facts" }, ...items));
  });
  const kinds = ["event", "relation", "figure", "actor", "mention"];
  root.replaceChildren(el("h1", {}, d.title || d.name),
    el("p", { class: "muted" }, `${d.name} · ${d.words} words${d.pages && d.pages.length ? ` · ${d.pages.length} pages` : ""}`
      + `${d.date ? ` · dated ${d.date} (${d.date_source})` : ""} · ${spans.length} fact spans · click any highlight for its facts`),
    el("div", { class: "legend doc-legend" }, ...kinds.map((k) => el("span", {}, el("i", { class: `sw k-${k}` }), k === "mention" ? "actor mention" : `${k} evidence`))),
    body);
  if (firstTarget) firstTarget.scrollIntoView({ block: "center" });
};

// --- search and ask ---
function resultsView(s) {
  const out = [];
  if (s.actors.length) out.push(el("h2", {}, `Actors (${s.actors.length})`), el("p", { class: "search-actors" }, joinNodes(s.actors.map(actorLink))));
  if (s.events.length) out.push(el("h2", {}, `Events (${s.events.length})`), el("table", {}, el("tbody", {}, ...s.events.map(eventRow))));
  if (s.relations.length) out.push(el("h2", {}, `Relations (${s.relations.length})`), el("ul", {}, ...s.relations.map((r) =>
    el("li", {}, link("#", r.description, { onclick: (e) => { e.preventDefault(); showFact(r.id); } })))));
  if (s.passages.length) out.push(el("h2", {}, `In the text (${s.passages.length})`), ...s.passages.map(quoteBlock));
  if (!out.length) out.push(el("p", { class: "muted" }, "Nothing found."));
  return out;
}

VIEWS.search = async (root, arg) => {
  $("#search-input").value = arg;
  const s = await api(`/api/search?${qs({ q: arg })}`);
  root.replaceChildren(el("h1", {}, "Search: ", el("q", {}, arg)), ...resultsView(s));
};

VIEWS.ask = async (root, _arg, params) => {
  const q = params.get("q") || "";
  const input = el("input", { id: "ask-input", value: q, size: 60, maxlength: 300, placeholder: "e.g. Who supported the Northern Alliance?" });
  const form = el("form", { id: "ask-form", class: "controls", onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) location.hash = `#/ask?${qs({ q: input.value.trim() })}`; } },
    input, el("button", { type: "submit" }, "Ask"));
  const out = el("div", { id: "ask-results" });
  root.replaceChildren(el("h1", {}, "Ask the knowledge base"), form, out);
  if (!q) return;
  const r = await api(`/api/ask?${qs({ q })}`);
  if (r.mode === "search") {
    out.append(el("div", { class: "notice", id: "ask-fallback" }, "Question answering is not available in this build: showing search results for your words instead."),
      ...resultsView(r.search));
    return;
  }
  out.append(el("p", { class: "answer-text" }, r.answers.length ? joinNodes(r.answers.map((a) => a.fact
    ? link("#", a.text, { class: "answer", onclick: (e) => { e.preventDefault(); showFact(a.fact); } }) : el("b", { class: "answer" }, a.text)))
    : "I don't know. The closest passages:"),
  r.source === "retrieval" ? el("p", { class: "muted" }, "Read from a retrieved passage, not a fact of the knowledge base.") : "",
  ...r.evidence.map(quoteBlock));
};

render();
