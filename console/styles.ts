/** The console's look, with the widget's tokens (accent, radius, font), as a constructable stylesheet (strict CSP). */
const CSS = `
:root{--a:#4f46e5;--on-a:#fff;--r:10px;--fg:#1f2937;--mu:#5f6673;--ln:#d1d5db;--soft:#f3f4f6;--bg:#fff;--err:#b91c1c;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#f8fafc}
*{box-sizing:border-box}
body{margin:0}
header{display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding:10px 16px;background:var(--bg);border-bottom:1px solid var(--ln)}
header h1{font-size:1.1em;margin:0;flex:1}
nav{display:flex;gap:4px;flex-wrap:wrap}
main{max-width:72rem;margin:0 auto;padding:16px}
section{background:var(--bg);border:1px solid var(--ln);border-radius:var(--r);padding:16px;margin-bottom:16px}
h2{font-size:1.05em;margin:0 0 12px}
h3{font-size:.95em;margin:12px 0 6px}
button,input,select,textarea{font:inherit;color:inherit}
button{background:var(--bg);border:1px solid var(--ln);border-radius:calc(var(--r)*.6);padding:6px 12px;min-height:40px;cursor:pointer}
button:hover:enabled{border-color:var(--a)}
button[aria-current=page],.primary{background:var(--a);border-color:var(--a);color:var(--on-a)}
.danger{color:var(--err)}
button:disabled{opacity:.5;cursor:default}
:focus-visible{outline:3px solid var(--a);outline-offset:2px}
input,select,textarea{border:1px solid var(--ln);border-radius:calc(var(--r)*.6);padding:7px 9px;min-height:40px;background:var(--bg);width:100%}
input[type=checkbox]{width:auto;min-height:0}
label{display:grid;gap:3px;font-size:.88em;font-weight:600}
.check{display:flex;align-items:center;gap:8px;font-weight:400}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:12px}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:end}
.grow{flex:1 1 20rem}
.muted{color:var(--mu);font-size:.88em}
.error{color:var(--err);white-space:pre-line}
.ok{color:#166534}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:8px 6px;border-bottom:1px solid var(--soft);vertical-align:top}
.scroll{overflow-x:auto}
.week{display:grid;grid-template-columns:repeat(7,minmax(6.5rem,1fr));gap:6px;overflow-x:auto}
.day{border:1px solid var(--ln);border-radius:calc(var(--r)*.6);padding:6px;min-height:9rem;display:grid;align-content:start;gap:4px}
.day h3{margin:0 0 2px}
.block{background:color-mix(in srgb,var(--a) 14%,#fff);border-left:4px solid var(--a);border-radius:4px;padding:4px 6px;font-size:.85em;display:flex;justify-content:space-between;gap:4px;align-items:center}
.block button{min-height:28px;padding:0 6px}
.timeline{position:relative;height:6px;background:var(--soft);border-radius:3px;margin-bottom:4px}
.timeline span{position:absolute;top:0;bottom:0;background:var(--a);border-radius:3px}
.status{display:inline-block;padding:1px 8px;border-radius:999px;background:var(--soft);font-size:.8em}
.status.pending{background:#fef3c7}.status.confirmed{background:#dcfce7}.status.cancelled{background:#fee2e2}
.actions{display:flex;flex-wrap:wrap;gap:6px}
@media (max-width:40rem){main{padding:8px}section{padding:12px}}
`

export function applyConsoleStyles(): void {
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(CSS)
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
}
