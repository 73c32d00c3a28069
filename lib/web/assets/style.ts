// The dashboard's one stylesheet, as text (bundled with the function, no file to find at run time).
// System fonts only (no web font to swap in and shift the layout); colours as custom properties
// with a dark set under prefers-color-scheme; contrast of text on background ≥ 4.5:1 in both.
export const STYLE_CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1a1a1a;--muted:#555;--line:#d8d8d8;--card:#f6f7f9;--link:#0b57d0;--accent:#0b57d0;--accent-fg:#fff;--err:#b3261e;--err-bg:#fdecea;--ok:#146c2e;--bar:#5b7fbf;--focus:#e8710a}
@media (prefers-color-scheme:dark){:root{--bg:#121418;--fg:#e8e8e8;--muted:#a8adb5;--line:#343941;--card:#1c1f25;--link:#8ab4f8;--accent:#8ab4f8;--accent-fg:#0b1b33;--err:#f2b8b5;--err-bg:#3b1614;--ok:#7fd99a;--bar:#8ab4f8;--focus:#fbbc04}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
a{color:var(--link)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--accent);color:var(--accent-fg);padding:.5rem 1rem;z-index:1}
.skip:focus{left:.5rem}
.wrap{max-width:72rem;margin:0 auto;padding:0 1rem}
header.site{border-bottom:1px solid var(--line);background:var(--card)}
header.site .wrap{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1.5rem;min-height:3.5rem}
.brand{font-weight:700;color:var(--fg);text-decoration:none}
nav.main ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
nav.main a{display:inline-block;padding:.5rem 0;text-decoration:none}
nav.main a[aria-current=page]{font-weight:700;text-decoration:underline;text-underline-offset:.3em}
main{padding:1rem 0 2rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:.875rem;padding:1rem 0}
.muted{color:var(--muted)}
form.filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.75rem;align-items:end;background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin-bottom:1rem}
form.filters .wide{grid-column:1/-1}
label{display:block;font-size:.875rem;font-weight:600;margin-bottom:.25rem}
input,select{width:100%;font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--muted);border-radius:.25rem;padding:.4rem .5rem;min-height:2.5rem}
input[aria-invalid=true],select[aria-invalid=true]{border-color:var(--err);border-width:2px}
button,.button{font:inherit;font-weight:600;background:var(--accent);color:var(--accent-fg);border:0;border-radius:.25rem;padding:.5rem 1rem;min-height:2.5rem;cursor:pointer;text-decoration:none;display:inline-block}
.field-error{color:var(--err);font-size:.875rem;margin:.25rem 0 0}
.errors{background:var(--err-bg);color:var(--fg);border:2px solid var(--err);border-radius:.5rem;padding:.75rem 1rem;margin-bottom:1rem}
.errors h2{margin:0 0 .25rem;font-size:1rem}
ol.list{list-style:none;margin:0;padding:0}
ol.list>li{border-bottom:1px solid var(--line);padding:.75rem 0;display:grid;grid-template-columns:3.5rem 1fr;gap:.25rem 1rem}
.score{font-variant-numeric:tabular-nums;font-weight:700;text-align:right}
.title{font-weight:600;overflow-wrap:anywhere}
.meta{color:var(--muted);font-size:.875rem;grid-column:2;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
.tags{display:inline-flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0}
.tags li{border:1px solid var(--line);border-radius:1rem;padding:0 .5rem;font-size:.8rem}
.pager{display:flex;justify-content:space-between;gap:1rem;margin:1rem 0}
.pager .next{margin-left:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
td.num,th.num{text-align:right}
.table-wrap{overflow-x:auto}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:1rem;list-style:none;margin:0;padding:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem}
.card h2{margin:0 0 .5rem;font-size:1.05rem}
svg.spark{display:block;width:100%;max-width:16rem;height:2.5rem}
svg.spark .area{fill:var(--bar);opacity:.25}
svg.spark .line{fill:none;stroke:var(--bar);stroke-width:1.5}
svg.timeline{display:block;width:100%;height:8rem}
svg.timeline rect{fill:var(--bar)}
.event-kind{font-weight:700;text-transform:capitalize}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
@media (max-width:40rem){h1{font-size:1.35rem}ol.list>li{grid-template-columns:3rem 1fr}dl.facts{grid-template-columns:1fr}dl.facts dd{margin-bottom:.5rem}}
`;
