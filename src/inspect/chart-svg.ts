/**
 * Writes a {@link ChartLayout} as one standalone SVG: state boxes (rounded, final states doubled, parallel regions
 * dashed), initial dots, edges with arrowheads and labels, and the lines written inside boxes. Every state carries
 * `data-state="<path>"` and every edge or in-box line `data-transition="t<n>"`, so the inspector page lights the
 * active states and the last transition by adding the classes `active` and `last`; the styles for both are inside
 * the SVG, scoped to `.imstate-chart`, so the file also reads on its own (visualizations/*.svg).
 *
 * All text is escaped: state and action names come from code, but nothing here trusts them.
 * @module
 */
import { FONT, type ChartLayout, type PlacedEdge, type PlacedState } from './chart-layout.js';

/** Escapes text for XML content and attribute values. */
export const xmlEscape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);

const STYLE = `
.imstate-chart { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: ${FONT.size}px; }
.imstate-chart .state > rect { fill: #fff; stroke: #6b6b70; stroke-width: 1.2; }
.imstate-chart .state.depth-0 > rect { fill: #f7f7f5; }
.imstate-chart .state.region > rect { fill: none; stroke-dasharray: 5 4; }
.imstate-chart .state.final > rect.inner { fill: none; }
.imstate-chart .state text { fill: #1d1d1f; }
.imstate-chart .state text.name { font-weight: 700; }
.imstate-chart .state text.line { fill: #55555a; }
.imstate-chart .state text.line.transition { fill: #0b5cad; }
.imstate-chart .edge path { fill: none; stroke: #8a8a90; stroke-width: 1.2; }
.imstate-chart .edge text { fill: #0b5cad; }
.imstate-chart .edge rect { fill: #fff; opacity: .85; }
.imstate-chart .initial { fill: #1d1d1f; }
.imstate-chart .initial-edge { fill: none; stroke: #1d1d1f; stroke-width: 1.2; }
.imstate-chart .state.active > rect { fill: #e3f4e6; stroke: #1a7f37; stroke-width: 2.5; }
.imstate-chart .state.active.depth-0 > rect { fill: #f7f7f5; stroke: #6b6b70; stroke-width: 1.2; }
.imstate-chart .state.active > text.name { fill: #1a7f37; }
.imstate-chart .edge.last path { stroke: #c25e00; stroke-width: 3; }
.imstate-chart .edge.last text, .imstate-chart text.line.last { fill: #c25e00; font-weight: 700; }
.imstate-chart .edge.last rect { fill: #fff4c2; opacity: 1; }
`;

const n = (v: number): string => String(Math.round(v * 10) / 10);

const drawState = (s: PlacedState): string => {
  const { state } = s;
  const classes = ['state', state.type, `depth-${s.depth}`, ...(s.region ? ['region'] : [])].join(' ');
  const parts = [
    `<g class="${classes}" data-state="${xmlEscape(state.id)}">`,
    `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.width)}" height="${n(s.height)}" rx="${s.region ? 4 : 8}"/>`,
  ];
  if (state.type === 'final') {
    parts.push(`<rect class="inner" x="${n(s.x + 3)}" y="${n(s.y + 3)}" width="${n(s.width - 6)}" height="${n(s.height - 6)}" rx="6"/>`);
  }
  parts.push(`<text class="name" x="${n(s.x + 10)}" y="${n(s.y + 16)}">${xmlEscape(state.key)}</text>`);
  s.lines.forEach((line, i) => {
    const cls = line.transition === undefined ? 'line' : 'line transition';
    const data = line.transition === undefined ? '' : ` data-transition="${line.transition}"`;
    parts.push(`<text class="${cls}"${data} x="${n(s.x + 10)}" y="${n(s.y + 16 + (i + 1) * FONT.line)}">${xmlEscape(line.text)}</text>`);
  });
  parts.push('</g>');
  return parts.join('');
};

const pathOf = (points: readonly { x: number; y: number }[]): string =>
  points.map((p, i) => `${i === 0 ? 'M' : 'L'}${n(p.x)} ${n(p.y)}`).join(' ');

const drawEdge = (e: PlacedEdge): string => {
  const { label } = e;
  return [
    `<g class="edge" data-transition="${e.transition.id}" data-source="${xmlEscape(e.transition.source)}" data-target="${xmlEscape(e.target)}">`,
    `<path d="${pathOf(e.points)}" marker-end="url(#imstate-arrow)"/>`,
    `<rect x="${n(label.x - 1)}" y="${n(label.y)}" width="${n(label.width + 2)}" height="${FONT.line * label.lines.length}"/>`,
    ...label.lines.map((line, i) => `<text x="${n(label.x)}" y="${n(label.y + 12 + i * FONT.line)}">${xmlEscape(line)}</text>`),
    '</g>',
  ].join('');
};

/** The SVG text of a laid-out chart; `title` becomes its accessible name. */
export function chartSvg(layout: ChartLayout, title = `${layout.chart.machine} machine`): string {
  const lines = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="imstate-chart" data-machine="${xmlEscape(layout.chart.machine)}" ` +
      `viewBox="0 0 ${n(layout.width)} ${n(layout.height)}" width="${n(layout.width)}" height="${n(layout.height)}" role="img">`,
    `<title>${xmlEscape(title)}</title>`,
    `<style>${STYLE}</style>`,
    '<defs><marker id="imstate-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">' +
      '<path d="M0 0 L10 5 L0 10 z" fill="#8a8a90"/></marker></defs>',
    ...layout.states.map(drawState),
    ...layout.initials.map(
      (i) =>
        `<g class="initial-marker" data-initial="${xmlEscape(i.parent)}"><circle class="initial" cx="${n(i.x)}" cy="${n(i.y)}" r="5"/>` +
        `<path class="initial-edge" d="${pathOf(i.points)}" marker-end="url(#imstate-arrow)"/></g>`,
    ),
    ...layout.edges.map(drawEdge),
    '</svg>',
  ];
  return `${lines.join('\n')}\n`;
}
