// The frame of every page: a skip link, the header with the brand and the nav, <main> with the
// page's h1 and content, and the footer. `lang`, a viewport meta, the color-scheme meta (so the
// browser's own controls follow dark mode before the stylesheet loads) and the hashed stylesheet.
import type { Context } from 'hono';
import type { AppEnv } from '../http/index.js';
import { assetPath } from './assets/assets.js';
import { html, type Html } from './html.js';
import { isCurrent, NAV } from './nav.js';
import { signOutForm } from './components/sign-out-form.js';
import type { PageContent } from './page.js';

const BRAND = 'Signal Harvester';

function nav(c: Context<AppEnv>, current: string): Html {
  const caller = c.get('caller');
  const items = NAV.filter((item) => item.visible === undefined || item.visible(caller));
  return html`<nav class="main" aria-label="Main"><ul>${items.map(
    (item) => html`<li><a href="${item.href}"${isCurrent(item.href, current) ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
  )}</ul></nav>`;
}

export function layout(c: Context<AppEnv>, content: PageContent): Html {
  const current = content.current ?? c.req.path;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${content.title} · ${BRAND}</title>
<link rel="stylesheet" href="${assetPath('style.css')}">
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site"><div class="wrap"><a class="brand" href="/">${BRAND}</a>${nav(c, current)}${c.get('webSession') === undefined ? '' : signOutForm(c)}</div></header>
<main id="content" class="wrap" tabindex="-1">
<h1 dir="auto">${content.title}</h1>
${content.body}
</main>
<footer class="site"><div class="wrap">Signal Harvester · <a href="/openapi.json">API</a></div></footer>
</body>
</html>`;
}
