/**
 * The inspector's one page: self-contained HTML with inline CSS and JS (no build step, no CDN; the machine it runs on
 * may have no internet). The page arrives with the current state written into it (so its first paint shows the
 * actors), then connects to `/ws`, keeps its own copy of the actors and steps, and redraws at most every 150 ms,
 * showing {@link ROWS_PER_GROUP} actors per machine a page so 100k actors stay usable: the filter narrows, the pager
 * pages. The selected actor's statechart (./page-chart.ts) and the sequence of recent events (./page-sequence.ts)
 * are drawn below.
 *
 * The script builds the DOM with `textContent` only, since ids, state names and payloads come from the network.
 * @module
 */
import { CHART_SCRIPT } from './page-chart.js';
import { PAGE_STYLE } from './page-style.js';
import { SEQUENCE_LIMITS, SEQUENCE_SCRIPT } from './page-sequence.js';
import type { ServerMessage } from './wire.js';

/** Actors listed per machine group before "+N more — filter to narrow". */
export const ROWS_PER_GROUP = 100;

const SCRIPT = String.raw`
(function () {
  'use strict';
  var ROWS = __ROWS__, SEQ = __SEQ__;
  var actors = new Map(), steps = [], lastSeq = 0, historyLimit = 500, counts = null, loaded = false;
  var selected = null, detail = null, filter = '', seqFilter = '', collapsed = new Set(), pages = new Map();
  var ws = null, timer = null;
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function name(a) { return a.systemId || a.id; }
  function time(at) { var d = new Date(at); return d.toLocaleTimeString() + '.' + String(d.getMilliseconds()).padStart(3, '0'); }
  function transitions(s) {
    if (!s.transitions.length) return s.event === 'xstate.init' ? 'started' : 'no transition';
    return s.transitions.map(function (t) { return t.from + ' \u2192 ' + (t.to.length ? t.to.join(', ') : '(self)'); }).join('; ');
  }
  function matches(a) {
    if (!filter) return true;
    return [a.id, a.systemId, a.machine, a.state, a.lastEvent, a.sessionId, a.status]
      .some(function (f) { return f && String(f).toLowerCase().indexOf(filter) >= 0; });
  }

  function connect() {
    ws = new WebSocket((location.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + location.host + '/ws');
    ws.onopen = function () { setConn('live', 'live'); if (selected) select(selected); };
    ws.onclose = function () { setConn('down', 'disconnected \u2014 retrying'); setTimeout(connect, 1000); };
    ws.onmessage = function (m) { try { receive(JSON.parse(m.data)); } catch (e) { console.error(e); } };
  }
  function setConn(state, text) { var c = $('conn'); c.dataset.state = state; c.textContent = text; }
  function select(id) {
    selected = id; detail = null;
    if (ws && ws.readyState === 1) ws.send(JSON.stringify({ t: 'select', sessionId: id }));
    schedule();
  }

  function receive(msg) {
    switch (msg.t) {
      case 'hello': actors.clear(); steps = []; lastSeq = 0; historyLimit = msg.historyLimit; counts = msg.counts; loaded = true; break;
      case 'actors': msg.actors.forEach(function (a) { actors.set(a.sessionId, a); }); break;
      case 'history': msg.steps.forEach(addStep); break;
      case 'changes':
        counts = msg.counts;
        msg.changes.forEach(function (c) {
          if (c.t === 'actor') actors.set(c.actor.sessionId, c.actor);
          else if (c.t === 'step') { actors.set(c.actor.sessionId, c.actor); addStep(c.step); }
          else if (c.t === 'evicted') actors.delete(c.sessionId);
        });
        break;
      case 'detail': if (msg.detail && msg.detail.sessionId === selected) detail = msg.detail; break;
    }
    schedule();
  }
  function addStep(s) {
    if (s.seq <= lastSeq) return;
    lastSeq = s.seq; steps.push(s);
    if (steps.length > historyLimit) steps.splice(0, steps.length - historyLimit);
  }

  function schedule() { if (!timer) timer = setTimeout(function () { timer = null; render(); }, actors.size > 10000 ? 400 : 150); }

  function render() {
    var live = 0, ended = 0;
    actors.forEach(function (a) { if (a.status === 'active' || a.status === 'starting') live++; else ended++; });
    $('counts').textContent = live + ' live \u00b7 ' + ended + ' ended \u00b7 ' + (counts ? counts.steps : 0) + ' steps' +
      (counts && counts.untracked ? ' \u00b7 ' + counts.untracked + ' untracked' : '');
    renderActors(); renderDetail(); renderSteps();
    var a = selected ? actors.get(selected) || (detail && detail.actor) : null;
    chartView(detail, a); sequenceView();
  }

  function renderActors() {
    var groups = new Map();
    actors.forEach(function (a) {
      var g = groups.get(a.machine);
      if (!g) groups.set(a.machine, g = { live: 0, total: 0, rows: [] });
      g.total++; if (a.status === 'active' || a.status === 'starting') g.live++;
      if (matches(a)) g.rows.push(a);
    });
    var box = $('actors'); box.replaceChildren(el('h2', '', 'Actors by machine'));
    var names = Array.from(groups.keys()).sort();
    if (!names.length) box.append(el('p', 'muted', loaded ? 'No actors yet. Start a server or peer with this inspector.' : 'connecting\u2026'));
    var now = Date.now();
    names.forEach(function (m) {
      var g = groups.get(m);
      if (filter && !g.rows.length) return;
      var d = el('details', 'group'); d.dataset.machine = m; d.open = !collapsed.has(m);
      d.addEventListener('toggle', function () { if (d.open) collapsed.delete(m); else collapsed.add(m); });
      var s = el('summary', '', m);
      s.append(el('span', 'count', g.live + ' live / ' + g.total + (filter ? ' \u00b7 ' + g.rows.length + ' match' : '')));
      d.append(s);
      g.rows.sort(function (a, b) {
        var ae = a.status === 'active' ? 0 : 1, be = b.status === 'active' ? 0 : 1;
        return ae - be || b.updatedAt - a.updatedAt;
      });
      var t = el('table'), head = el('tr');
      ['actor', 'state', 'last event', 'steps', 'status'].forEach(function (h) { head.append(el('th', '', h)); });
      t.append(head);
      var pageCount = Math.max(1, Math.ceil(g.rows.length / ROWS)), p = Math.min(pages.get(m) || 0, pageCount - 1);
      g.rows.slice(p * ROWS, (p + 1) * ROWS).forEach(function (a) {
        var r = el('tr', 'actor status-' + a.status + (a.sessionId === selected ? ' selected' : '') +
          (now - a.updatedAt < 1500 ? ' fresh' : ''));
        r.dataset.session = a.sessionId;
        var idCell = el('td', 'id', name(a));
        if (a.systemId && a.systemId !== a.id && a.id !== a.sessionId) idCell.append(el('small', '', ' ' + a.id));
        if (name(a) !== a.sessionId) idCell.append(el('small', '', ' ' + a.sessionId));
        r.append(idCell, el('td', 'state', a.state || '\u2014'), el('td', 'event', a.lastEvent || ''),
          el('td', 'steps', a.steps), el('td', 'status', a.status));
        r.addEventListener('click', function () { select(a.sessionId === selected ? null : a.sessionId); });
        t.append(r);
      });
      d.append(t);
      if (g.rows.length > ROWS) d.append(pager(m, p, pageCount, g.rows.length));
      box.append(d);
    });
  }

  function pager(m, p, pageCount, total) {
    var bar = el('div', 'pager'); bar.dataset.machine = m;
    var prev = el('button', 'prev', '\u2039 prev'), next = el('button', 'next', 'next \u203a');
    prev.disabled = p === 0; next.disabled = p >= pageCount - 1;
    prev.addEventListener('click', function () { pages.set(m, p - 1); render(); });
    next.addEventListener('click', function () { pages.set(m, p + 1); render(); });
    bar.append(prev, el('span', 'range', (p * ROWS + 1) + '\u2013' + Math.min(total, (p + 1) * ROWS) + ' of ' + total), next,
      el('span', 'more', 'filter to narrow'));
    return bar;
  }

  function renderDetail() {
    var box = $('detail'); box.replaceChildren(el('h2', '', 'Selected actor'));
    if (!selected) { box.append(el('p', 'muted', 'Click an actor to see its context and the transitions it took.')); return; }
    var a = actors.get(selected) || (detail && detail.actor);
    if (!a) { box.append(el('p', 'muted', 'This actor is gone.')); return; }
    var dl = el('dl');
    [['actor', name(a)], ['id', a.id], ['sessionId', a.sessionId], ['machine', a.machine], ['parent', a.parent || '\u2014'],
      ['state', a.state || '\u2014'], ['status', a.status], ['steps', a.steps]]
      .forEach(function (p) { dl.append(el('dt', '', p[0]), el('dd', p[0] === 'state' ? 'tr' : '', p[1])); });
    box.append(dl);
    if (!detail) { box.append(el('p', 'muted', 'loading\u2026')); return; }
    [['context', detail.context], ['output', detail.output], ['error', detail.error]].forEach(function (p) {
      if (p[1] === null) return;
      box.append(el('div', 'muted', p[0])); box.append(el('pre', p[0], JSON.stringify(p[1], null, 2)));
    });
    box.append(el('div', 'muted', 'its last steps'));
    box.append(stepList(detail.steps.slice(-30).reverse(), false));
  }

  function renderSteps() {
    var box = $('log'); box.replaceChildren(el('h2', '', 'Recent events'));
    var shown = [];
    for (var i = steps.length - 1; i >= 0 && shown.length < 200; i--) {
      var s = steps[i], a = actors.get(s.sessionId);
      if (!filter || (a && matches(a)) || s.event.toLowerCase().indexOf(filter) >= 0) shown.push(s);
    }
    box.append(shown.length ? stepList(shown, true) : el('p', 'muted', 'No events yet.'));
  }

  function stepList(list, withActor) {
    var ol = el('ol', 'steps');
    list.forEach(function (s) {
      var li = el('li'); li.dataset.seq = s.seq;
      li.append(el('small', '', time(s.at) + ' '));
      if (withActor) { var a = actors.get(s.sessionId); li.append(el('b', '', (a ? name(a) : s.sessionId) + ' ')); }
      li.append(el('span', 'ev', s.event));
      if (s.source) { var src = actors.get(s.source); li.append(el('small', '', ' from ' + (src ? name(src) : s.source))); }
      li.append(el('div', 'tr', transitions(s) + '  \u21d2 ' + (s.state || s.status)));
      if (s.payload !== null) li.append(el('div', 'muted tr', JSON.stringify(s.payload)));
      ol.append(li);
    });
    return ol;
  }

__VIEWS__
  $('filter').addEventListener('input', function (e) { filter = e.target.value.trim().toLowerCase(); pages.clear(); schedule(); });
  $('seqFilter').addEventListener('input', function (e) { seqFilter = e.target.value.trim().toLowerCase(); schedule(); });
  $('zoomOut').addEventListener('click', function () { chartZoom(-1); });
  $('zoomFit').addEventListener('click', function () { chartZoom(0); });
  $('zoomIn').addEventListener('click', function () { chartZoom(1); });
  // The state when the page was served, so the first paint shows it; the socket then sends it afresh.
  try { JSON.parse($('boot').textContent || '[]').forEach(receive); } catch (e) { console.error(e); }
  connect(); render();
})();
`;

/** JSON for a `<script type="application/json">`: `<` escaped, so no text in it can close the element. */
const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

/**
 * The page's HTML, with the limits baked in and `boot` (the messages a newly connected socket would get first)
 * written into it, so the first paint shows the current state.
 */
export function inspectorPage(boot: readonly ServerMessage[] = []): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>imstate inspector</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
  <h1>imstate inspector</h1>
  <span id="conn" data-state="connecting">connecting…</span>
  <span id="counts"></span>
  <input id="filter" type="search" placeholder="filter: actor, machine, state, event" aria-label="filter actors">
</header>
<main>
  <section id="actors" class="card" aria-label="actors"></section>
  <div>
    <section id="chart" class="card" aria-label="statechart">
      <div class="card-head"><h2>Statechart</h2><span id="chartCaption" class="muted"></span>
        <span class="tools"><button id="zoomOut" title="zoom out">−</button><button id="zoomFit" title="fit the width">fit</button><button id="zoomIn" title="zoom in">+</button><span id="chartZoomLabel" class="muted"></span></span></div>
      <div id="chartBody"><p>Click an actor to draw its machine.</p></div>
    </section>
    <section id="detail" class="card" aria-label="selected actor"></section>
  </div>
  <section id="sequence" class="card wide" aria-label="sequence of events">
    <div class="card-head"><h2>Sequence</h2><span id="seqCount" class="muted"></span>
      <span class="tools"><input id="seqFilter" type="search" placeholder="filter by actor" aria-label="filter the sequence by actor"></span></div>
    <div id="seqBody"></div>
  </section>
  <section id="log" class="card wide" aria-label="recent events"></section>
</main>
<svg id="svgns" width="0" height="0" aria-hidden="true" style="position:absolute"></svg>
<script id="boot" type="application/json">${scriptJson(boot)}</script>
<script>${SCRIPT.replace('__ROWS__', String(ROWS_PER_GROUP))
    .replace('__SEQ__', JSON.stringify(SEQUENCE_LIMITS))
    .replace('__VIEWS__', () => CHART_SCRIPT + SEQUENCE_SCRIPT)}</script>
</body>
</html>
`;
}
