/*
 * Theming goes through custom properties on the host (they inherit into the shadow root):
 * --booking-accent, --booking-accent-text, --booking-radius, --booking-font; and
 * data-theme light|dark|auto. Everything else is private.
 */
const CSS = `
:host{display:block;text-align:start}
:host([hidden]){display:none}
*{box-sizing:border-box}
.root{--a:var(--booking-accent,#4f46e5);--on-a:var(--booking-accent-text,#fff);--r:var(--booking-radius,12px);--bg:#fff;--fg:#1f2937;--mu:#5f6673;--ln:#d1d5db;--soft:#f3f4f6;--warn-bg:#fef3c7;--warn:#7c2d12;--err:#b91c1c;--pad:clamp(10px,4%,20px);container-type:inline-size;color:var(--fg);font:400 .9375rem/1.45 var(--booking-font,system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif)}
.root[data-theme=dark]{--a:var(--booking-accent,#a5b4fc);--on-a:var(--booking-accent-text,#111827);--bg:#111827;--fg:#f3f4f6;--mu:#aab1bd;--ln:#4b5563;--soft:#1f2937;--warn-bg:#422006;--warn:#fde68a;--err:#fca5a5}
@media (prefers-color-scheme:dark){.root[data-theme=auto]{--a:var(--booking-accent,#a5b4fc);--on-a:var(--booking-accent-text,#111827);--bg:#111827;--fg:#f3f4f6;--mu:#aab1bd;--ln:#4b5563;--soft:#1f2937;--warn-bg:#422006;--warn:#fde68a;--err:#fca5a5}}
.card{background:var(--bg);border:1px solid var(--ln);border-radius:var(--r);padding:var(--pad);min-width:0;display:grid;gap:12px}
@container (max-width:420px){.card{border-inline:0;border-radius:0}}
h2{margin:0;font-size:1.15em;font-weight:650;line-height:1.3}
h3{margin:0;font-size:1em;font-weight:600}
h2:focus,h3:focus{outline:none}
p,dl,dd{margin:0}
.muted,legend{color:var(--mu);font-size:.875em}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:6px 12px;border:0;padding:0;margin:0;min-width:0}
legend{float:left;margin-inline-end:4px}
.inline{display:flex;align-items:center;gap:8px;flex-wrap:wrap;min-width:0}
select{max-width:100%;min-width:0;flex:1 1 12em}
button,select{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--ln);border-radius:calc(var(--r)*.6);padding:6px 12px;min-height:44px;cursor:pointer}
button{transition:background-color .12s,border-color .12s,color .12s}
button:hover:enabled{border-color:var(--a)}
:focus-visible{outline:3px solid var(--a);outline-offset:2px}
button:disabled{opacity:.45;cursor:default}
.choice{display:inline-flex;align-items:center;gap:6px;min-height:44px;padding:0 12px;border:1px solid var(--ln);border-radius:calc(var(--r)*.6);cursor:pointer;font-weight:400}
.choice:has(:checked){border-color:var(--a);box-shadow:inset 0 0 0 1px var(--a)}
.choice input{width:auto;min-height:0;accent-color:var(--a);margin:0}
.pick{display:flex;flex-wrap:wrap;gap:16px}
.cal{flex:1 1 17rem;min-width:0}
.times{flex:1 1 13rem;min-width:0}
.nav{display:flex;align-items:center;gap:8px}
.range{flex:1;text-align:center;font-weight:600}
.icon{min-width:44px;padding:0;font-size:1.25em;line-height:1}
table{border-collapse:collapse;width:calc(100% + 2*var(--pad));margin:6px calc(-1*var(--pad)) 0;table-layout:fixed}
th{font-size:.75em;font-weight:600;color:var(--mu);padding:4px 0}
td{padding:0;text-align:center}
.day{width:100%;min-width:0;padding:0;border:2px solid var(--bg);background:none;font-variant-numeric:tabular-nums}
.day.free{background:var(--soft);font-weight:700;box-shadow:inset 0 0 0 1px var(--ln)}
[aria-selected=true]>.day{background:var(--a);color:var(--on-a);box-shadow:none}
.slot[aria-selected=true]{background:var(--a);border-color:var(--a);color:var(--on-a)}
.slots{display:grid;grid-template-columns:repeat(auto-fill,minmax(6.5em,1fr));gap:6px;max-height:22rem;overflow-y:auto;padding:3px}
.slot{font-variant-numeric:tabular-nums}
.left{display:block;font-size:.75em;font-weight:400}
.count{min-width:5.5em;text-align:center;font-weight:600}
.msg{padding:24px 8px;text-align:center}
.msg button{margin-top:10px}
.error{color:var(--err)}
.notice,.done{padding:10px 12px;border-radius:calc(var(--r)*.6);background:var(--soft)}
.notice{background:var(--warn-bg);color:var(--warn)}
.details{display:grid;gap:10px}
label{display:grid;gap:4px;font-size:.875em;font-weight:600}
input,textarea{font:inherit;font-weight:400;color:inherit;background:var(--bg);border:1px solid var(--ln);border-radius:calc(var(--r)*.6);padding:8px 10px;min-height:44px;width:100%}
.actions{display:flex;flex-wrap:wrap;gap:8px;justify-content:flex-end;align-items:center}
.grow{flex:1 1 12em}
.primary,.primary:hover:enabled{background:var(--a);border-color:var(--a);color:var(--on-a)}
.danger{color:var(--err)}
.done{display:grid;gap:6px}
.done a{display:inline-block;padding:10px 0}
.links{display:flex;flex-wrap:wrap;gap:0 20px}
.series{border-top:1px solid var(--ln);padding-top:12px;display:grid;gap:8px}
.links a{display:inline-flex;align-items:center;min-height:44px;padding:0}
.confirm{display:grid;gap:10px}
.price{display:grid;gap:4px}
.policy{margin:0;padding-inline-start:1.2em;color:var(--mu);font-size:.875em}
.card-element{min-height:0}
.facts{display:grid;grid-template-columns:auto 1fr;gap:4px 12px}
.facts dt{color:var(--mu)}
.ref{font-family:ui-monospace,monospace;letter-spacing:.05em}
a{color:var(--a)}
.popup{padding:0;border:0;background:none;width:min(100%,46rem);max-width:100%;max-height:100%;overflow:visible}
.popup::backdrop{background:rgb(0 0 0/.5)}
.popup .card{max-height:calc(100dvh - 2em);overflow-y:auto}
.close{position:absolute;top:6px;inset-inline-end:6px;border:0;background:none;z-index:1}
.fab{position:fixed;bottom:20px;inset-inline-end:20px;z-index:2147483000;border-radius:999px;padding:0 22px;box-shadow:0 6px 20px rgb(0 0 0/.25);font-weight:600}
.field{display:grid;gap:4px;font-size:.875em}
.field label{font-weight:600}
.field input,.field textarea{font-size:1rem}
.field-error{color:var(--err)}
.q{border:0;padding:0;margin:0;min-width:0}.q legend{float:none;padding:0;font-weight:600;color:inherit;font-size:1em;margin-bottom:4px}.opts{display:flex;flex-wrap:wrap;gap:8px}.q .choice{font-weight:400}.check{display:flex;align-items:center;gap:8px;min-height:44px}.check input{width:auto;min-height:0;accent-color:var(--a);margin:0}.req{color:var(--err)}
[aria-invalid=true]{border-color:var(--err);box-shadow:inset 0 0 0 1px var(--err)}
.day.other{color:var(--mu);font-weight:400}
.day-heading{margin:0 0 6px;font-size:.95em}
.next{width:100%;margin-top:8px}
.center{text-align:center}
.summary{display:grid;gap:4px}
.summary:empty{display:none}
.zone{display:grid;gap:6px}
.zone-toggle{flex:1 1 14em;text-align:start;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.zone-search{display:grid;gap:6px}
.zone-search ul{list-style:none;margin:0;padding:0;max-height:14rem;overflow-y:auto;border:1px solid var(--ln);border-radius:calc(var(--r)*.6)}
.zone-search li{padding:10px 12px;min-height:44px;cursor:pointer}
.zone-search li[aria-selected=true]{background:var(--soft);box-shadow:inset 3px 0 0 var(--a)}
.leave{display:grid;gap:10px}
@media (prefers-reduced-motion:reduce){button{transition:none}}
`

let sheet: CSSStyleSheet | undefined

/**
 * Styles the shadow root with one shared constructable stylesheet: no <style> element, so
 * a host CSP without 'unsafe-inline' allows it. Browsers without adoptedStyleSheets
 * (Safari before 16.4) get a <style> element, which such a CSP blocks.
 */
export function applyStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    if (!sheet) {
      sheet = new CSSStyleSheet()
      sheet.replaceSync(CSS)
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
  } else {
    const style = document.createElement('style')
    style.textContent = CSS
    root.append(style)
  }
}
