/**
 * The page's sequence view, as script text inlined into the page (see ./page.ts): the recent steps as a sequence
 * diagram, one lifeline per actor and one for `outside` (what the engine handed in: datagrams from the wire, calls
 * of the API), an arrow per event from its sender to its receiver, in the order the events were sent, so a datagram
 * comes before the events it caused. Filterable by actor (name, id or machine, either end of an arrow). Built as
 * SVG with `textContent` only; it uses the page's copy of the history, so its cost is bounded by `historyLimit`.
 * @module
 */

/** Messages drawn at most; lifelines drawn at most (the rest share one `…` lifeline). */
export const SEQUENCE_LIMITS = { rows: 60, lanes: 12 } as const;

/** Function `sequenceView()` in the page's scope. */
export const SEQUENCE_SCRIPT = String.raw`
  // The SVG namespace, read off an inline <svg> the HTML parser put in it (so the page names no URL at all).
  var SVGNS = $('svgns').namespaceURI;
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  /** A few of the payload's short strings, depth first: enough to tell one datagram from another. */
  function hint(payload) {
    var out = [];
    (function walk(v, depth) {
      if (out.length >= 3 || depth > 4) return;
      if (typeof v === 'string') { if (v.length && v.length <= 40) out.push(v); return; }
      if (typeof v === 'number' || typeof v === 'boolean') return;
      if (v && typeof v === 'object') for (var k in v) walk(v[k], depth + 1);
    })(payload, 0);
    return out.join(' \u00b7 ');
  }
  function laneName(id) {
    if (id === '') return 'outside';
    var a = actors.get(id);
    return a ? name(a) : id;
  }
  function seqMatches(s) {
    if (!seqFilter) return true;
    return [s.source || '', s.sessionId].some(function (id) {
      var a = actors.get(id);
      var fields = id === '' ? ['outside'] : a ? [name(a), a.id, a.machine, id] : [id];
      return fields.some(function (f) { return f && String(f).toLowerCase().indexOf(seqFilter) >= 0; });
    });
  }

  function sequenceView() {
    var body = $('seqBody');
    var list = [];
    for (var i = steps.length - 1; i >= 0 && list.length < SEQ.rows; i--) if (seqMatches(steps[i])) list.push(steps[i]);
    list.sort(function (a, b) { return (a.order || a.seq) - (b.order || b.seq) || a.seq - b.seq; });
    $('seqCount').textContent = list.length + ' of ' + steps.length + ' recent events' + (seqFilter ? ' matching' : '');
    if (!list.length) { body.replaceChildren(el('p', 'muted', loaded ? 'No events yet.' : 'connecting\u2026')); return; }
    var lanes = [], laneOf = new Map(), other = -1;
    function lane(id) {
      if (laneOf.has(id)) return laneOf.get(id);
      if (lanes.length >= SEQ.lanes - 1) {
        if (other < 0) { other = lanes.length; lanes.push(null); }
        return other;
      }
      laneOf.set(id, lanes.length); lanes.push(id);
      return lanes.length - 1;
    }
    list.forEach(function (s) { lane(s.source || ''); lane(s.sessionId); });
    var W = 170, TOP = 44, ROW = 34, width = 20 + lanes.length * W + 240, height = TOP + list.length * ROW + 10;
    var svg = svgEl('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, class: 'sequence', role: 'img' });
    svg.append(svgEl('title', {}, 'sequence of the recent events'));
    var x = function (k) { return 20 + k * W + W / 2 - 10; };
    lanes.forEach(function (id, k) {
      var g = svgEl('g', { class: 'lane', 'data-lane': id === null ? '' : id });
      var label = id === null ? '\u2026 others' : laneName(id);
      var a = id ? actors.get(id) : null;
      g.append(svgEl('rect', { x: x(k) - W / 2 + 8, y: 4, width: W - 16, height: 30, rx: 6 }));
      g.append(svgEl('text', { x: x(k), y: 18, 'text-anchor': 'middle', class: 'lane-name' }, label.length > 22 ? label.slice(0, 21) + '\u2026' : label));
      g.append(svgEl('text', { x: x(k), y: 30, 'text-anchor': 'middle', class: 'lane-machine' }, id === '' ? 'engine, wire' : a ? a.machine : ''));
      g.append(svgEl('line', { x1: x(k), y1: 34, x2: x(k), y2: height - 4 }));
      svg.append(g);
    });
    list.forEach(function (s, r) {
      var from = lane(s.source || ''), to = lane(s.sessionId), y = TOP + r * ROW + 18;
      var g = svgEl('g', { class: 'msg' + (s.sessionId === selected || s.source === selected ? ' mine' : ''),
        'data-seq': s.seq, 'data-from': s.source || '', 'data-to': s.sessionId });
      var text = s.event + (hint(s.payload) ? ' (' + hint(s.payload) + ')' : '');
      if (text.length > 60) text = text.slice(0, 59) + '\u2026';
      if (from === to) {
        g.append(svgEl('path', { d: 'M' + x(from) + ' ' + (y - 6) + ' h 26 v 12 h -24', 'marker-end': 'url(#seq-arrow)' }));
        g.append(svgEl('text', { x: x(from) + 32, y: y + 4 }, text));
      } else {
        var x1 = x(from), x2 = x(to), dir = x2 > x1 ? 1 : -1;
        g.append(svgEl('line', { x1: x1, y1: y, x2: x2 - dir * 4, y2: y, 'marker-end': 'url(#seq-arrow)' }));
        g.append(svgEl('text', { x: Math.min(x1, x2) + 6, y: y - 5 }, text));
      }
      g.append(svgEl('text', { x: x(to) + (from === to ? 32 : 6), y: y + (from === to ? 16 : 12), class: 'after' },
        '\u21d2 ' + (s.state || s.status)));
      var title = svgEl('title', {}, time(s.at) + ' ' + laneName(s.source || '') + ' \u2192 ' + laneName(s.sessionId) + ': ' + s.event +
        (s.payload !== null ? ' ' + JSON.stringify(s.payload) : ''));
      g.append(title);
      svg.append(g);
    });
    var defs = svgEl('defs', {}), marker = svgEl('marker', { id: 'seq-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5,
      markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
    marker.append(svgEl('path', { d: 'M0 0 L10 5 L0 10 z', class: 'arrowhead' }));
    defs.append(marker); svg.prepend(defs);
    body.replaceChildren(svg);
  }
`;
