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
/* Resource form, embed snippet and schedule editor: 44 px targets, one column on a phone, no sideways scroll. */
.resource-form fieldset,.date-form{border:1px solid var(--ln);border-radius:calc(var(--r)*.6);padding:12px;margin:0 0 14px;min-width:0}
.resource-form legend,.date-form legend{font-weight:700;padding:0 4px}
.field{display:grid;gap:3px;align-content:start;min-width:0}
.help{color:var(--mu);font-size:.82em;margin:0;font-weight:400}
.field-error{color:var(--err);font-size:.85em;font-weight:600;margin:0;white-space:pre-line}
.resource-form [aria-invalid=true],.schedule [aria-invalid=true]{border-color:var(--err);box-shadow:0 0 0 1px var(--err)}
.resource-form :is(button,input,select),.embed button,.schedule :is(button,input,select),.resources button{min-height:44px}
.resource-form .check,.schedule .check{min-height:44px}
.resource-form input:is([type=checkbox],[type=radio]),.schedule input:is([type=checkbox],[type=radio]){width:22px;height:22px;min-height:0;flex:none}
.policy-words{background:var(--soft);border-radius:calc(var(--r)*.6);padding:8px 12px;margin-top:12px}
.policy-words p,.policy-words ul{margin:0}
.policy-words ul{padding-left:1.2em}
.resource-list{list-style:none;margin:0;padding:0}
.resource-list li{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:8px 0;border-bottom:1px solid var(--soft)}
.resource-list .grow{flex:1 1 14rem;min-width:0;overflow-wrap:anywhere}
.embed h2:focus{outline:none}
.snippet{font:.85em/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;resize:vertical;white-space:pre-wrap;overflow-wrap:anywhere}
.preview{display:block;width:100%;height:36rem;border:1px solid var(--ln);border-radius:calc(var(--r)*.6);background:var(--bg)}
.schedule .week{grid-template-columns:repeat(auto-fill,minmax(min(100%,17rem),1fr));overflow:visible;gap:10px;align-items:start}
.sched-day{border:1px solid var(--ln);border-radius:calc(var(--r)*.6);padding:8px;display:grid;align-content:start;gap:8px;min-width:0}
.sched-head{display:grid;gap:4px}
.sched-day h3,.sched-day h4{margin:0;font-size:.95em}
.sched-row{display:grid;gap:6px;padding:6px;border-radius:6px;background:color-mix(in srgb,var(--a) 8%,#fff);border-left:4px solid var(--a);min-width:0}
.sched-row.bad{background:#fef2f2;border-left-color:var(--err)}
.sched-row.closed{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.closed-day{flex:1 1 auto}
.schedule label input{font-weight:400}
.sched-day .actions{align-items:center}
.times{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:6px}
.break-form{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:6px;width:100%}
.break-form .actions,.break-form .field-error{grid-column:1/-1}
.dates{list-style:none;margin:0 0 12px;padding:0;display:grid;gap:8px}
.choices{display:flex;flex-wrap:wrap;gap:4px 16px}
.timeline span.off{background:var(--err)}
/* Bookings (bk-*), the first-run key panel and the header: 44 px targets, nothing wider than a 390 px phone. */
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
header button{min-height:44px}
.first-run{border:2px solid var(--a)}
.first-run p{margin:0 0 8px}
.first-run h2:focus{outline:none}
.key-field{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;min-height:44px}
.first-run button{min-height:44px}
.bk button,.bk input,.bk select,.bk textarea{min-height:44px}
.bk-toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:8px}
.bk-toolbar>label{flex:1 1 10rem;min-width:0}
.bk-toolbar>.bk-search{flex:2 1 14rem}
.bk-switch,.bk-nav{display:flex;flex-wrap:wrap;gap:4px;align-items:center}
.bk-switch button[aria-pressed=true]{background:var(--a);border-color:var(--a);color:var(--on-a)}
.bk-nav button{min-width:44px}
.bk-date-field input{width:auto}
.bk-caption{margin:4px 0 8px}
.bk>.ok{margin:0 0 8px}
.bk-grid{border:1px solid var(--ln);border-radius:calc(var(--r)*.6);overflow:hidden;margin-bottom:12px}
.bk-grid-head,.bk-grid-body{display:grid}
.bk-grid-head{background:var(--soft);border-bottom:1px solid var(--ln)}
.bk-grid-day{padding:6px 4px;font-size:.85em;font-weight:600;text-align:center;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bk-grid-day[aria-current=date]{color:var(--a);text-decoration:underline}
.bk-gutter{position:relative}
.bk-gutter span{position:absolute;right:6px;margin-top:2px;font-size:.75em;color:var(--mu)}
.bk-column{position:relative;min-width:0;border-left:1px solid var(--ln);background-image:linear-gradient(to bottom,var(--soft) 1px,transparent 1px)}
.bk .bk-block{position:absolute;display:block;min-height:20px;margin:0;padding:2px 4px;border:0;border-left:3px solid var(--a);border-radius:4px;background:color-mix(in srgb,var(--a) 14%,#fff);box-shadow:0 0 0 1px var(--bg);font-size:.78em;line-height:1.2;text-align:left;overflow:hidden;overflow-wrap:anywhere}
.bk .bk-block.pending{border-left-color:#b45309;background:#fef3c7}
.bk .bk-block.cancelled{opacity:.65;text-decoration:line-through}
.bk .bk-block[aria-pressed=true]{outline:2px solid var(--a);z-index:1}
.bk-block-time{font-weight:600}
.bk-block-time,.bk-block-name{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bk .bk-day{border:0;padding:0;margin:0 0 12px;background:none}
.bk-card{display:grid;grid-template-columns:minmax(0,1.4fr) minmax(0,1fr) minmax(0,1fr);gap:4px 16px;border:1px solid var(--ln);border-radius:calc(var(--r)*.6);padding:10px 12px;margin:0 0 8px;background:var(--bg)}
.bk-card>*{min-width:0}
.bk-card p{margin:0}
.bk-card h3{margin:0;font-size:.95em}
.bk-card.cancelled{background:var(--soft)}
.bk-card a,.bk-card code{overflow-wrap:anywhere}
.bk-name{font-weight:600}
.bk-notes,.bk-actions,.bk-card>.error,.bk-log{grid-column:1/-1}
.bk-notes{display:grid;gap:4px;margin:4px 0 0;padding:6px 8px;border-radius:6px;background:#fffbeb}
.bk-notes div{display:flex;flex-wrap:wrap;gap:0 6px}
.bk-notes dt{font-weight:600}
.bk-notes dt::after{content:":"}
.bk-notes dd{margin:0;overflow-wrap:anywhere;white-space:pre-line}
.bk-actions{display:flex;flex-wrap:wrap;gap:6px;margin-top:4px}
.bk-log{margin:0;padding-left:18px;font-size:.88em}
.bk-dialog{width:min(32rem,calc(100vw - 16px));max-height:calc(100dvh - 16px);overflow:auto;padding:0;border:0;border-radius:var(--r);color:var(--fg)}
.bk-dialog::backdrop{background:rgb(15 23 42/.45)}
.bk-dialog form{display:grid;gap:10px;padding:16px}
.bk-dialog h2,.bk-dialog p{margin:0}
.bk-dialog fieldset{display:grid;gap:4px;margin:0;padding:8px 12px;border:1px solid var(--ln);border-radius:calc(var(--r)*.6)}
.bk-dialog legend{font-weight:600;font-size:.88em}
.bk-dialog .check{min-height:44px}
.bk-dialog input[type=radio]{width:20px;height:20px;min-height:0}
.bk-percent .row{align-items:center;flex-wrap:nowrap}
.bk-percent input{width:6rem}
.bk-dialog-actions{display:flex;flex-wrap:wrap;gap:8px;justify-content:flex-end}
.danger-fill{background:var(--err);border-color:var(--err);color:#fff}
/* Pools: members in order, each row's buttons 44 px, wrapping under the name on a phone. */
.pool-members{list-style:none;margin:8px 0 12px;padding:0;display:grid;gap:6px;counter-reset:member}
.pool-members li{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;padding:6px 8px;border:1px solid var(--ln);border-radius:6px;counter-increment:member}
.pool-members li::before{content:counter(member) ".";font-weight:700;min-width:1.5em}
.pool-members li.bad{border-color:var(--err);background:#fef2f2}
.pool-member-name{flex:1 1 12rem;min-width:0;overflow-wrap:anywhere}
.pool-weight{display:flex;align-items:center;gap:6px;font-weight:400}
.pool-weight input{width:5.5rem}
.pool-members .field-error{flex-basis:100%}
.pool-note{background:#fffbeb;border-radius:6px;padding:6px 8px;margin:6px 0}
.resources .danger{min-height:44px}
@media (max-width:40rem){.bk-card{grid-template-columns:minmax(0,1fr)}.bk-guest a{display:inline-flex;align-items:center;min-height:44px}.bk-actions button{flex:1 1 7rem}.bk-dialog-actions button{flex:1 1 auto}}
`

export function applyConsoleStyles(): void {
  const sheet = new CSSStyleSheet()
  sheet.replaceSync(CSS)
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
}
