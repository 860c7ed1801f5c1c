/**
 * The page's statechart view, as script text inlined into the page (see ./page.ts): it fetches the selected actor's
 * chart from the inspector itself (`/chart/<key>.svg`, drawn server side from the machine definition, so nothing
 * comes from the internet), keeps one parsed SVG per machine, and on every detail update lights the active states
 * (`active`) and the edges of the actor's last step (`last`). The SVG's own ids drive everything: no state or event
 * name is known to this script.
 * @module
 */

/** Functions `chartView(detail, actor)` and `chartZoom(step)` in the page's scope. */
export const CHART_SCRIPT = String.raw`
  var charts = new Map(), chartShown = null, chartScale = null, chartActive = '';

  function chartFor(key) {
    var c = charts.get(key);
    if (c) return c;
    c = { state: 'loading', svg: null, width: 0, height: 0 };
    charts.set(key, c);
    fetch('/chart/' + encodeURIComponent(key) + '.svg').then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      var svg = doc.documentElement;
      if (!svg || svg.nodeName !== 'svg') throw new Error('not an SVG');
      svg.querySelectorAll('script, foreignObject').forEach(function (e) { e.remove(); });
      c.svg = document.importNode(svg, true);
      c.width = Number(svg.getAttribute('width')) || 800;
      c.height = Number(svg.getAttribute('height')) || 600;
      c.state = 'ready';
      schedule();
    }).catch(function () { c.state = 'failed'; charts.delete(key); schedule(); });
    return c;
  }

  function chartMessage(text) {
    var body = $('chartBody');
    chartShown = null;
    body.replaceChildren(el('p', 'muted', text));
    $('chartCaption').textContent = '';
  }

  function chartFit(c) {
    var scale = chartScale;
    if (scale === null) scale = Math.min(1, Math.max(0.5, ($('chartBody').clientWidth - 4) / c.width));
    c.svg.setAttribute('width', String(Math.round(c.width * scale)));
    c.svg.setAttribute('height', String(Math.round(c.height * scale)));
    $('chartZoomLabel').textContent = chartScale === null ? 'fit' : Math.round(scale * 100) + '%';
  }

  function chartZoom(step) {
    var c = chartShown && charts.get(chartShown);
    if (!c || !c.svg) return;
    var now = chartScale === null ? Number(c.svg.getAttribute('width')) / c.width : chartScale;
    chartScale = step === 0 ? null : Math.min(2, Math.max(0.2, now * (step > 0 ? 1.25 : 0.8)));
    chartFit(c);
  }

  /** The transitions of the actor's most recent step that took any, and that step. */
  function lastStep(d) {
    for (var i = d.steps.length - 1; i >= 0; i--) if (d.steps[i].transitions.length) return d.steps[i];
    return null;
  }

  function chartView(d, a) {
    if (!selected) return chartMessage('Click an actor to draw its machine.');
    if (!d) return chartMessage('loading\u2026');
    if (!d.chart) return chartMessage((a ? a.machine : 'This actor') + ' is not a state machine: no chart to draw.');
    var c = chartFor(d.chart);
    if (c.state === 'loading') return chartMessage('laying out the ' + (a ? a.machine : '') + ' machine\u2026');
    if (c.state !== 'ready') return chartMessage('The chart could not be drawn.');
    var body = $('chartBody');
    if (chartShown !== d.chart) {
      body.replaceChildren(c.svg);
      chartShown = d.chart;
      chartActive = '';
    }
    chartFit(c);
    var active = new Set(d.active);
    c.svg.querySelectorAll('[data-state]').forEach(function (g) {
      g.classList.toggle('active', active.has(g.getAttribute('data-state')));
    });
    var step = lastStep(d), edges = new Set();
    if (step) step.transitions.forEach(function (t) { if (t.edge) edges.add(t.edge); });
    c.svg.querySelectorAll('[data-transition]').forEach(function (g) {
      g.classList.toggle('last', edges.has(g.getAttribute('data-transition')));
    });
    $('chartCaption').textContent = 'in ' + (d.active.length ? d.active.filter(function (s) {
      return !d.active.some(function (o) { return o.indexOf(s + '.') === 0; });
    }).join(', ') : (a && a.state) || '\u2014') + (step ? ' \u00b7 last: ' + step.event + ' (' + time(step.at) + ')' : '');
    var key = d.active.join('|');
    if (key !== chartActive) {
      chartActive = key;
      // Bring the outermost active state into view (states are drawn outermost first).
      var outer = c.svg.querySelector('.state.active');
      if (outer) {
        var box = outer.getBoundingClientRect(), view = body.getBoundingClientRect();
        if (box.left < view.left || box.right > view.right) body.scrollLeft += box.left - view.left - 20;
        if (box.top < view.top || box.bottom > view.bottom) body.scrollTop += box.top - view.top - 20;
      }
    }
  }
`;
