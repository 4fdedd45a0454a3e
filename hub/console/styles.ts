/**
 * The console's stylesheet, inline in every page's head (and also served at /console/assets/console.css). Colours are chosen for WCAG 2.2 AA
 * contrast (text at least 4.5:1 on its background); severity is also written out, never colour alone.
 */
export const CONSOLE_CSS = `
:root{--ink:#1a1a1a;--muted:#4a4a4a;--line:#c8c8c8;--bg:#fff;--accent:#1d4ed8;--sel:#e8efff;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);background:var(--bg)}
body{margin:0;line-height:1.4}
a{color:#1d4ed8}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0}.skip:focus{left:.5rem;top:.5rem;background:#fff;padding:.4rem;z-index:10}
.environment{display:flex;gap:1rem;align-items:center;padding:.35rem 1.2rem;font-size:.95rem}
.environment-production{background:#e8f0e8;color:#17351b}
.environment-other{background:#ffd400;color:#1a1a1a;border-bottom:4px solid #b30000;font-size:1.05rem}
.environment label{margin-left:auto}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.6rem 1.2rem;border-bottom:1px solid var(--line);background:#f5f6f8}
header nav a{font-weight:600;text-decoration:none;margin-right:1rem}
header #who{margin:0;color:var(--muted);flex:1}
header form{margin:0}
main{padding:1rem 1.2rem;max-width:1400px}
h1{font-size:1.4rem;margin:.2rem 0 .8rem}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
button{font:inherit;padding:.35rem .8rem;border:1px solid #5a5a5a;border-radius:4px;background:#fff;color:var(--ink);cursor:pointer}
button:hover{background:#eef}
button[data-transition]{margin:0 .4rem .4rem 0;font-weight:600}
kbd{font-family:ui-monospace,monospace;font-size:.85em;border:1px solid #8a8a8a;border-radius:3px;padding:0 .3em;background:#fafafa}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end;margin-bottom:1rem}
.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
.filters select,.filters input{font:inherit;padding:.25rem;color:var(--ink)}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.35rem .6rem;text-align:left;vertical-align:middle}
thead th{font-size:.85rem;color:var(--muted)}
#incidents th[scope=row]{font-weight:600}
#incidents .sub{display:block;font-weight:400;font-size:.8rem;color:var(--muted)}
#incidents tr.selected{background:var(--sel);outline:2px solid var(--accent)}
#incidents tr.arrived{animation:arrive 2s ease-out}
@keyframes arrive{from{background:#fff3b0}to{background:transparent}}
.thumb img,.thumb .no-thumb{display:inline-block;width:96px;height:54px;object-fit:cover;border-radius:3px;background:#eceff3;font-size:.7rem;color:var(--muted);text-align:center;line-height:54px}
.sev{display:inline-block;min-width:4.5em;text-align:center;border-radius:3px;padding:.05rem .4rem;font-weight:700;font-size:.85rem;text-transform:uppercase}
.sev-critical{background:#fde2e2;color:#8b0000;border:1px solid #8b0000}
.sev-high{background:#ffedd5;color:#7c2d12;border:1px solid #7c2d12}
.sev-medium{background:#fef9c3;color:#5c3d00;border:1px solid #5c3d00}
.sev-low{background:#e0f2fe;color:#0c4a6e;border:1px solid #0c4a6e}
tr.sev-row-critical td:first-child{box-shadow:inset 5px 0 #b00020}
tr.sev-row-high td:first-child{box-shadow:inset 5px 0 #c2410c}
tr.sev-row-medium td:first-child{box-shadow:inset 5px 0 #a16207}
tr.sev-row-low td:first-child{box-shadow:inset 5px 0 #0369a1}
.state{font-size:.85rem;padding:.05rem .4rem;border-radius:3px;background:#eceff3;color:var(--ink)}
.empty{border:2px dashed var(--line);padding:1.2rem;border-radius:6px;max-width:48rem}
.pager{margin:1rem 0;display:flex;gap:1rem}
#live{font-size:.85rem;color:var(--muted)}
#status{position:fixed;bottom:.8rem;right:.8rem;max-width:28rem;background:#1a1a1a;color:#fff;padding:.4rem .8rem;border-radius:4px}
#status:empty{display:none}
#status[data-kind=error]{background:#8b0000}
.broken{color:#8b0000;border-left:4px solid #8b0000;padding-left:.5rem}
#chain-verdict[data-ok=true]{border-left:4px solid #166534;padding-left:.5rem}
.layout{display:grid;grid-template-columns:minmax(0,3fr) minmax(18rem,2fr);gap:1.2rem}
@media (max-width:900px){.layout{grid-template-columns:1fr}}
.player{position:relative;background:#000;aspect-ratio:16/9}
.player video{width:100%;height:100%;display:block}
.player canvas{position:absolute;inset:0;width:100%;height:100%;pointer-events:none}
#timeline{list-style:none;padding:0;margin:0}
#timeline li{border-left:3px solid var(--line);padding:.2rem .6rem}
#timeline li.current{border-left-color:#b45309;background:#fff7e6}
#timeline button{border:none;background:none;padding:0;color:#1d4ed8;text-decoration:underline}
#fields th{width:9rem;color:var(--muted);font-weight:600}
#snapshot{max-width:100%;border-radius:4px}
.deep{border:2px solid var(--accent);background:#eef3ff;padding:.6rem 1rem;border-radius:6px;margin-bottom:1rem}
.notice{color:var(--muted)}
dialog{border:1px solid #5a5a5a;border-radius:6px;max-width:32rem}
dialog::backdrop{background:rgba(0,0,0,.4)}
.reasons{list-style:none;padding:0}
fieldset{border:1px solid var(--line)}
form.settings{display:grid;grid-template-columns:max-content minmax(14rem,32rem);gap:.4rem .8rem;align-items:center}
form.settings fieldset,form.settings .buttons,form.settings label.check{grid-column:1 / -1}
label.check{display:inline-flex;gap:.3rem;align-items:center;margin-right:1rem}
.create-forms{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem;margin-top:.6rem}
form.create fieldset{display:grid;grid-template-columns:max-content minmax(10rem,1fr);gap:.4rem .8rem;align-items:center}
form.create fieldset .buttons{grid-column:1 / -1}
textarea{font:inherit;width:100%}
#retention-form h3{flex-basis:100%;margin:.6rem 0 0}
th .sub,td .sub{display:block;font-weight:400;font-size:.8rem}
header nav a[aria-current=page]{text-decoration:underline;text-underline-offset:.3em;text-decoration-thickness:3px}
.store{border-top:1px solid var(--line);margin-top:1rem}
.store table{margin-bottom:.8rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
.code{font-family:ui-monospace,monospace;font-weight:400}
.zone-stage{position:relative;aspect-ratio:16/9;background:#eceff3;border:1px solid #5a5a5a}
.zone-stage img{position:absolute;inset:0;width:100%;height:100%;object-fit:fill}
.zone-stage canvas{position:absolute;inset:0;width:100%;height:100%;cursor:crosshair;touch-action:none}
#zone-list{list-style:none;padding:0}
#zone-list li{margin:.2rem 0}
#zone-list button[aria-pressed=true]{background:var(--sel);border-color:var(--accent);font-weight:700}
#zone-form label,section>label{display:block;margin-top:.5rem;font-weight:600}
#zone-form input,#zone-form select,#policy-reason,#preview-store{font:inherit;padding:.25rem;color:var(--ink);width:100%;max-width:28rem;box-sizing:border-box}
#preview-store{width:auto}
.buttons{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}
button.primary{background:#1d4ed8;color:#fff;border-color:#1d4ed8;font-weight:600}
button.primary:hover{background:#1e40af}
#policy-text{font-family:ui-monospace,monospace;font-size:.9rem;line-height:1.35;box-sizing:border-box}
#policy-lint{padding-left:1rem}
#policy-lint li{margin:.2rem 0}
.lint-problem strong,.lint-refusal strong{color:#8b0000}
.lint-warning strong{color:#7c2d12}
.inline-lint{font-family:ui-monospace,monospace;font-size:.85rem;margin:.3rem 0;max-height:24rem;overflow:auto;border:1px solid var(--line)}
.inline-lint ol{list-style:none;padding:0;margin:0}
.inline-lint li{display:grid;grid-template-columns:3.2rem 1fr;white-space:pre-wrap}
.inline-lint .ln{color:var(--muted);text-align:right;padding-right:.6rem;border-right:1px solid var(--line)}
.inline-lint li.has-lint{background:#fff1f0}
.inline-lint .msg{grid-column:2;font-family:system-ui,sans-serif;color:#8b0000;padding:.1rem .4rem}
.inline-lint .msg.warning{color:#7c2d12}
.ok{color:#17351b}
.refused{color:#8b0000}
.explain-form{display:grid;grid-template-columns:max-content minmax(12rem,24rem);gap:.4rem .8rem;align-items:center}
.explain-cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
.explain-card{border:1px solid var(--line);border-radius:4px;padding:.2rem .8rem}
h3{font-size:1rem;margin:1rem 0 .4rem}
h4{font-size:.95rem;margin:.6rem 0 .3rem}
pre{white-space:pre-wrap;word-break:break-word;font-size:.85rem;background:#f5f6f8;padding:.5rem;border-radius:4px;max-height:24rem;overflow:auto}
.diff-add{background:#dcfce7;color:#14532d;display:inline-block;width:100%}
.diff-del{background:#fee2e2;color:#7f1d1d;display:inline-block;width:100%}
.diff-same{color:var(--muted)}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:1rem}
.figure{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;overflow-x:auto}
.figure h2{font-size:1.05rem;margin:.1rem 0 .5rem;display:flex;justify-content:space-between;align-items:baseline}
.figure h2 .csv{font-size:.85rem;font-weight:400}
.chart{display:block;max-width:100%;height:auto}
.chart-bar{fill:#1d4ed8}
.heat{fill:#b45309}
.chart-label{font-size:11px;fill:#4a4a4a}
.chart-value{font-size:11px;fill:#1a1a1a}
.chart-axis{stroke:#c8c8c8}
.chart-table{font-size:.85rem;margin-top:.3rem}
`;
