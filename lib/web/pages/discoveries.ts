// GET /discoveries: artifacts (preprints, repositories, releases) by discovery score, highest
// first, keyset-paged — the JSON `GET /v1/discoveries` as a page, same schema, same mapping.
import type { Context } from 'hono';
import { DISCOVERY_ORDERING, listDiscoveriesOptions, nextCursor, readDb } from '../../api/signals-api.js';
import { listDiscoveriesRoute } from '../../api/signals-routes.js';
import { listDiscoveries } from '../../db/signals-repo.js';
import type { AppEnv } from '../../http/index.js';
import type { FieldError } from '../../validation/field-errors.js';
import { errorSummary, inputField, selectField } from '../components/form.js';
import { pager, readTrail } from '../components/pager.js';
import { signalRow } from '../components/signal-row.js';
import { html, type Html } from '../html.js';
import { renderPage, type WebPage } from '../page.js';
import { linkParams, mapQuery, parsePageQuery, rawValue } from '../query.js';

const PATH = '/discoveries';
const TITLE = 'Discoveries';

function form(raw: Record<string, string | string[]>, errors: readonly FieldError[]): Html {
  return html`<form class="filters" method="get" action="${PATH}" aria-label="Filter discoveries">
${inputField({ name: 'min_score', label: 'Minimum discovery score', type: 'number', min: 0, max: 100, step: 'any', value: rawValue(raw, 'min_score'), errors })}
${selectField({ name: 'limit', label: 'Per page', value: rawValue(raw, 'limit') || '20', errors, options: ['20', '50', '100'].map((n) => [n, n] as const) })}
<div><button type="submit">Apply</button></div>
</form>`;
}

async function discoveriesPage(c: Context<AppEnv>): Promise<Response> {
  const parsed = parsePageQuery(listDiscoveriesRoute.query, c.req.url, { pageOnly: ['trail'] });
  const { trail, errors: trailErrors } = readTrail(parsed.raw);
  const options = parsed.ok ? mapQuery(() => listDiscoveriesOptions(parsed.value)) : undefined;
  const errors = [...(parsed.ok ? [] : parsed.errors), ...(options !== undefined && !options.ok ? options.errors : []), ...trailErrors];
  if (!parsed.ok || options === undefined || !options.ok || errors.length > 0) {
    return renderPage(c, { title: TITLE, status: 400, body: html`${errorSummary(errors)}${form(parsed.raw, errors)}` });
  }
  const page = await listDiscoveries(await readDb(c.var.deadline.signal), options.value);
  return renderPage(c, {
    title: TITLE,
    body: html`<p class="muted">Preprints, repositories and releases, by discovery score: new, rising and not yet widely noticed.</p>
${form(parsed.raw, [])}
${page.items.length === 0 ? html`<p>No discoveries match.</p>` : html`<ol class="list">${page.items.map((signal) => signalRow(signal, signal.discoveryScore ?? signal.score))}</ol>`}
${pager({ path: PATH, filters: linkParams(parsed.raw), cursor: parsed.value.cursor, trail, next: nextCursor(DISCOVERY_ORDERING, page.next) })}`,
  });
}

export const discoveriesPageRoute: WebPage = {
  name: 'discoveries',
  mount(app) {
    app.get(PATH, discoveriesPage);
  },
};
