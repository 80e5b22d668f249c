/*
 * Theming goes through custom properties on the host (they inherit into the shadow root):
 * --booking-accent, --booking-radius, --booking-font. Everything else is private.
 */
const CSS = `
:host{display:block;--a:var(--booking-accent,#4f46e5);--r:var(--booking-radius,12px);color:#1f2937;font:400 .9375rem/1.45 var(--booking-font,system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif);text-align:start}
:host([hidden]){display:none}
*{box-sizing:border-box}
.card{background:#fff;border:1px solid #e5e7eb;border-radius:var(--r);padding:clamp(12px,4%,20px);min-width:0}
h2{margin:0;font-size:1.15em;font-weight:650;line-height:1.3}
h3{margin:0;font-size:.875em;font-weight:600}
p{margin:0}
.muted{color:#6b7280;font-size:.875em}
.zone{margin-top:4px}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-top:14px}
.bar .label{margin-inline-end:4px}
.nav{display:flex;align-items:center;gap:8px;margin-top:14px}
.range{flex:1;text-align:center;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
button{font:inherit;color:inherit;background:#fff;border:1px solid #d1d5db;border-radius:calc(var(--r)*.6);padding:6px 12px;min-height:38px;cursor:pointer;transition:background-color .12s,border-color .12s,color .12s}
button:hover:enabled{border-color:var(--a);color:var(--a)}
button:focus-visible{outline:2px solid var(--a);outline-offset:2px}
button:disabled{opacity:.4;cursor:default}
button[aria-pressed=true],button[aria-pressed=true]:hover{background:var(--a);border-color:var(--a);color:#fff}
.days{list-style:none;margin:10px 0 0;padding:0}
.day{display:flex;flex-wrap:wrap;gap:8px 12px;padding:10px 0;border-top:1px solid #f1f2f4}
.day h3{flex:0 0 7.5em;padding-top:9px}
.day .muted{padding-top:9px}
.slots{flex:1 1 15em;display:flex;flex-wrap:wrap;gap:6px;list-style:none;margin:0;padding:0}
.slot{min-width:5.5em;font-variant-numeric:tabular-nums}
.msg{padding:28px 8px;text-align:center}
.msg button{margin-top:10px}
.error{color:#b91c1c}
.notice,.done{margin-top:12px;padding:10px 12px;border-radius:calc(var(--r)*.6);background:#eef2ff;background:color-mix(in srgb,var(--a) 10%,#fff)}
.notice{background:#fef3c7;color:#92400e}
.details{display:grid;gap:10px;margin-top:12px}
.details h3:focus,.done h3:focus{outline:none}
label{display:grid;gap:4px;font-size:.875em;font-weight:600}
input,textarea{font:inherit;font-weight:400;color:inherit;border:1px solid #d1d5db;border-radius:calc(var(--r)*.6);padding:8px 10px;min-height:44px;width:100%}
input:focus-visible,textarea:focus-visible{outline:2px solid var(--a);outline-offset:1px}
.actions{display:flex;gap:8px;justify-content:flex-end}
.primary,.primary:hover:enabled{background:var(--a);border-color:var(--a);color:#fff}
.done{display:grid;gap:6px}
.ref{font-family:ui-monospace,monospace;letter-spacing:.05em}
a{color:var(--a)}
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
