/** The dashboard's stylesheet: inline, system fonts, no images; the page's CSP allows exactly this text. */
export const DASHBOARD_STYLE = `
:root { --green: #008200; --green-dark: #006400; --ink: #1b1f23; --muted: #5b6570; --line: #dde3e8;
  --bg: #f3f6f8; --card: #fff; --warn: #9a6700; --warn-bg: #fff8e1; --bad: #b42318; --bad-bg: #fdecea;
  --ok: #1a7f37; --ok-bg: #e6f4ea; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--bg); }
header.top { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .75rem;
  padding: .8rem 1.5rem; background: var(--card); border-bottom: 3px solid var(--green); }
.brand { font-size: 1.25rem; font-weight: 600; }
.brand .logo { color: var(--green); font-weight: 800; }
.brand .where { font: .85rem var(--mono); color: var(--muted); margin-left: .5rem; }
nav { display: flex; gap: 1.25rem; }
nav a { color: var(--green-dark); font-weight: 600; text-decoration: none; }
nav a:hover { text-decoration: underline; }
main { max-width: 1280px; margin: 1.25rem auto 3rem; padding: 0 1.25rem; display: grid;
  grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.25rem; align-items: start; }
#world, #live { display: contents; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem 1.25rem;
  min-width: 0; }
.wide { grid-column: 1 / -1; }
@media (max-width: 900px) { main { grid-template-columns: minmax(0, 1fr); } }
h2 { font-size: 1.05rem; margin: 0 0 .75rem; display: flex; align-items: baseline; gap: .6rem; flex-wrap: wrap; }
h2 .hint { font-size: .82rem; font-weight: 400; color: var(--muted); }
h3 { font-size: .95rem; margin: 1rem 0 .4rem; }
p { margin: .4rem 0; }
.muted { color: var(--muted); }
.note { color: var(--muted); font-size: .85rem; }
code, .mono { font-family: var(--mono); font-size: .86em; }
code.id { background: #f0f3f5; border: 1px solid var(--line); border-radius: 4px; padding: .05rem .35rem;
  user-select: all; overflow-wrap: anywhere; min-width: 0; }
.copyable { display: inline-flex; align-items: baseline; gap: .35rem; max-width: 100%; vertical-align: baseline; }
#users th:nth-child(1) { width: 24%; } #users th:nth-child(2) { width: 26%; } #users th:nth-child(3) { width: 30%; }
#clients th:nth-child(1) { width: 20%; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: .78rem; text-transform: uppercase;
  letter-spacing: .03em; border-bottom: 2px solid var(--line); padding: .35rem .5rem; }
td { border-bottom: 1px solid var(--line); padding: .45rem .5rem; vertical-align: top; }
tbody tr:last-child td { border-bottom: none; }
th.num { text-align: right; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .45rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); font-size: .88rem; }
dl.facts dd { margin: 0; min-width: 0; }
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain li + li { margin-top: .3rem; }
.badge { display: inline-block; border-radius: 999px; padding: .05rem .55rem; font-size: .78rem; font-weight: 600;
  background: #eef1f4; color: var(--ink); white-space: nowrap; }
.kind-full { background: var(--ok-bg); color: var(--ok); }
.kind-trial { background: var(--warn-bg); color: var(--warn); }
.kind-sandbox { background: #e8f0fe; color: #1a56c4; }
.kind-limited { background: #f3e8fd; color: #7b2cbf; }
.kind-text { display: block; color: var(--muted); font-size: .82rem; margin-top: .2rem; }
button { font: inherit; font-size: .88rem; border-radius: 6px; border: 1px solid var(--green); background: var(--green);
  color: #fff; padding: .35rem .9rem; cursor: pointer; }
button:hover { background: var(--green-dark); }
button:disabled { opacity: .5; cursor: default; }
button.quiet { background: #fff; color: var(--green-dark); }
button.quiet:hover { background: #f1f8f1; }
button.danger { background: #fff; color: var(--bad); border-color: #e0a8a2; }
button.danger:hover { background: var(--bad-bg); }
button.copy { padding: .02rem .45rem; font-size: .75rem; background: #fff; color: var(--muted);
  border-color: var(--line); flex: none; }
button.copy:hover { color: var(--green-dark); border-color: var(--green); background: #fff; }
button.copy.done { color: var(--ok); border-color: var(--ok); }
form.inline { display: flex; flex-wrap: wrap; gap: .6rem .9rem; align-items: flex-end; margin-top: .9rem;
  padding-top: .9rem; border-top: 1px dashed var(--line); }
form.inline label { display: flex; flex-direction: column; font-size: .78rem; color: var(--muted); gap: .2rem; }
input, select { font: inherit; font-size: .9rem; padding: .3rem .45rem; border: 1px solid #c5cdd4; border-radius: 6px;
  background: #fff; color: var(--ink); }
input:focus, select:focus, button:focus-visible { outline: 2px solid #7cc47c; outline-offset: 1px; }
input.path { width: 15rem; font-family: var(--mono); font-size: .85rem; }
input.short { width: 6.5rem; }
.clock-now { font: 600 1.45rem var(--mono); letter-spacing: -.01em; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
.error { color: var(--bad); background: var(--bad-bg); border-radius: 6px; padding: .4rem .6rem; margin-top: .6rem; }
.error:empty { display: none; }
.status { font: 600 .85rem var(--mono); padding: .05rem .4rem; border-radius: 4px; }
.s2 { color: var(--ok); background: var(--ok-bg); }
.s3 { color: #1a56c4; background: #e8f0fe; }
.s4 { color: var(--warn); background: var(--warn-bg); }
.s5, .s0 { color: var(--bad); background: var(--bad-bg); }
tr.faulted td { background: #fff6f5; }
tr.faulted td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
.fault { color: var(--bad); font-weight: 600; font-size: .85rem; }
td.path code { word-break: break-all; }
.journal-tools { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; margin-bottom: .6rem;
  font-size: .88rem; }
.journal-tools label { display: flex; gap: .35rem; align-items: center; }
.journal-scroll { max-height: 34rem; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.journal-scroll th { position: sticky; top: 0; background: var(--card); }
.live-dot { display: inline-block; width: .55rem; height: .55rem; border-radius: 50%; background: var(--ok);
  margin-right: .3rem; }
.live-dot.off { background: #c5cdd4; }
.live-dot.bad { background: var(--bad); }
.empty { color: var(--muted); font-style: italic; padding: .5rem 0; }
.locked { color: var(--muted); }
.token-tools { display: block; margin-top: .45rem; }
button.token { padding: .1rem .55rem; font-size: .78rem; }
.token-status { display: block; font-size: .8rem; margin-top: .3rem; }
.token-status:empty { display: none; }
.token-status .done { color: var(--ok); }
.token-status .failed { color: var(--bad); }
input.token-field { display: block; width: 100%; margin-top: .3rem; font: .75rem var(--mono); }
pre.snippet { font: .8rem/1.5 var(--mono); background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px;
  padding: .6rem .75rem; white-space: pre-wrap; word-break: break-all; margin: .5rem 0 0; }
`;
