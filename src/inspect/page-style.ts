/**
 * The inspector page's stylesheet, inlined into the page by ./page.ts (no external files: the page works offline).
 * Light and dark follow the system (`color-scheme`); the lit states and the last transition of the statechart, and
 * the rows that just changed, take their colours from the variables at the top.
 * @module
 */

/** The CSS of the inspector page, written into its `<style>`. */
export const PAGE_STYLE = String.raw`
:root { color-scheme: light dark; --bg: #f7f7f5; --fg: #1d1d1f; --muted: #6b6b70; --line: #dcdcd8; --card: #fff;
  --accent: #0b5cad; --ok: #1a7f37; --bad: #c62828; --fresh: #fff4c2; --sel: #e3eefc; }
@media (prefers-color-scheme: dark) { :root { --bg: #161618; --fg: #ececec; --muted: #a0a0a8; --line: #34343a;
  --card: #1f1f22; --accent: #7db4ff; --ok: #5fd07a; --bad: #ff7b72; --fresh: #4a4020; --sel: #1d3350; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
header { position: sticky; top: 0; z-index: 1; display: flex; gap: 12px; align-items: center; flex-wrap: wrap;
  padding: 10px 16px; background: var(--card); border-bottom: 1px solid var(--line); }
h1 { font-size: 17px; margin: 0; }
h2 { font-size: 14px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
#conn { padding: 2px 10px; border-radius: 10px; font-size: 12px; background: var(--line); }
#conn[data-state="live"] { background: var(--ok); color: #fff; }
#conn[data-state="down"] { background: var(--bad); color: #fff; }
#counts { color: var(--muted); }
#filter { margin-left: auto; min-width: 280px; padding: 6px 10px; font: inherit; border: 1px solid var(--line);
  border-radius: 6px; background: var(--bg); color: var(--fg); }
main { display: grid; grid-template-columns: minmax(0, 4fr) minmax(360px, 5fr); gap: 0 16px; padding: 16px; }
.wide { grid-column: 1 / -1; }
.card-head { display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; margin-bottom: 8px; }
.card-head h2 { margin: 0; }
.card-head .muted { font-size: 12px; }
.card-head .tools { margin-left: auto; display: flex; gap: 6px; align-items: center; }
button, .tools input { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid var(--line); border-radius: 5px;
  background: var(--bg); color: var(--fg); }
button { cursor: pointer; }
button:disabled { opacity: .4; cursor: default; }
#chartBody { overflow: auto; max-height: 72vh; background: #fff; border-radius: 6px; border: 1px solid var(--line); }
#chartBody > p { padding: 8px; color: #6b6b70; }
#chartCaption { font-family: ui-monospace, Menlo, Consolas, monospace; }
#seqBody { overflow: auto; max-height: 60vh; }
svg.sequence { font: 12px ui-monospace, Menlo, Consolas, monospace; }
svg.sequence .lane rect { fill: var(--bg); stroke: var(--line); }
svg.sequence .lane line { stroke: var(--line); stroke-dasharray: 4 4; }
svg.sequence .lane-name { fill: var(--fg); font-weight: 700; }
svg.sequence .lane-machine, svg.sequence .after { fill: var(--muted); font-size: 11px; }
svg.sequence .msg line, svg.sequence .msg path { stroke: var(--accent); fill: none; stroke-width: 1.3; }
svg.sequence .msg text { fill: var(--fg); }
svg.sequence .msg.mine line, svg.sequence .msg.mine path { stroke: #c25e00; stroke-width: 2.2; }
svg.sequence .arrowhead { fill: var(--accent); }
.pager { display: flex; gap: 8px; align-items: center; padding: 4px 6px; color: var(--muted); font-size: 12px; }
section.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin-bottom: 16px; }
details.group { margin-bottom: 10px; }
details.group > summary { cursor: pointer; font-weight: 600; padding: 4px 0; }
.count { font-weight: 400; color: var(--muted); margin-left: 6px; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-weight: 500; color: var(--muted); font-size: 12px; padding: 3px 6px; border-bottom: 1px solid var(--line); }
td { padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
tr.actor { cursor: pointer; }
tr.actor:hover { background: var(--sel); }
tr.actor.selected { background: var(--sel); outline: 2px solid var(--accent); }
tr.actor.fresh td.state { background: var(--fresh); }
td.state { font-family: ui-monospace, Menlo, Consolas, monospace; font-weight: 600; }
.status { font-size: 12px; }
.status-active .status { color: var(--ok); }
.status-error .status { color: var(--bad); font-weight: 600; }
.status-done .status, .status-stopped .status { color: var(--muted); }
.status-done td, .status-stopped td { opacity: .75; }
small, .muted { color: var(--muted); }
.more { color: var(--muted); font-style: italic; padding: 4px 6px; }
ol.steps { list-style: none; margin: 0; padding: 0; font-size: 13px; max-height: 60vh; overflow: auto; }
ol.steps li { padding: 4px 0; border-bottom: 1px solid var(--line); }
.ev { font-family: ui-monospace, Menlo, Consolas, monospace; color: var(--accent); font-weight: 600; }
.tr { font-family: ui-monospace, Menlo, Consolas, monospace; }
pre { margin: 6px 0; padding: 8px; background: var(--bg); border-radius: 6px; max-height: 40vh; overflow: auto;
  font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
`;
