// GET / and GET /signals: the signals, filtered, searched and sorted, one keyset page at a time.
// The query string is the JSON list's (`GET /v1/signals`), checked by its schema and turned into a
// repository call by the same mapping (lib/api/signals-api.ts), so a URL here and there mean the
// same page; only `trail` (the way back, components/pager.ts) is the page's own. A bad parameter
// answers 400 with the form showing what is wrong.
import type { Context } from 'hono';
import { listOrdering, listSignalsOptions, nextCursor, readDb, type ListSignalsQuery } from '../../api/signals-api.js';
import { listSignalsRoute } from '../../api/signals-routes.js';
import { listSignals, SIGNAL_SORTS } from '../../db/signals-repo.js';
import type { AppEnv } from '../../http/index.js';
import { SIGNAL_KINDS, SIGNAL_STATUSES } from '../../model/signal.js';
import { SOURCE_NAMES } from '../../model/sources.js';
import type { FieldError } from '../../validation/field-errors.js';
import { errorSummary, inputField, selectField } from '../components/form.js';
import { pager, readTrail } from '../components/pager.js';
import { signalRow } from '../components/signal-row.js';
import { html, type Html } from '../html.js';
import { renderPage, type WebPage } from '../page.js';
import { linkParams, mapQuery, parsePageQuery, rawValue } from '../query.js';

type Raw = Record<string, string | string[]>;

const SORT_LABELS: Readonly<Record<(typeof SIGNAL_SORTS)[number], string>> = { score: 'Score', published_at: 'Published', fetched_at: 'Harvested' };
const ANY = ['', 'Any'] as const;

function filterForm(path: string, raw: Raw, errors: readonly FieldError[]): Html {
  const value = (field: string): string => rawValue(raw, field);
  const tags = raw.tag === undefined ? [''] : Array.isArray(raw.tag) ? raw.tag : [raw.tag];
  return html`<form class="filters" method="get" action="${path}" role="search" aria-label="Filter signals">
${inputField({ name: 'q', label: 'Search', type: 'search', value: value('q'), errors, wide: true })}
${selectField({ name: 'source', label: 'Source', value: value('source'), errors, options: [ANY, ...SOURCE_NAMES.map((name) => [name, name] as const)] })}
${selectField({ name: 'kind', label: 'Kind', value: value('kind'), errors, options: [ANY, ...SIGNAL_KINDS.map((kind) => [kind, kind] as const)] })}
${inputField({ name: 'category', label: 'Category', value: value('category'), errors })}
${selectField({ name: 'status', label: 'Status', value: value('status'), errors, options: [ANY, ...SIGNAL_STATUSES.map((status) => [status, status] as const)] })}
${tags.map((tag) => inputField({ name: 'tag', label: 'Tag', value: tag, errors }))}
${inputField({ name: 'min_score', label: 'Minimum score', type: 'number', min: 0, max: 100, step: 'any', value: value('min_score'), errors })}
${inputField({ name: 'since', label: 'Published from', type: 'date', value: value('since').slice(0, 10), errors })}
${inputField({ name: 'until', label: 'Published before', type: 'date', value: value('until').slice(0, 10), errors })}
${selectField({ name: 'sort', label: 'Sort by', value: value('sort') || 'score', errors, options: SIGNAL_SORTS.map((sort) => [sort, SORT_LABELS[sort]] as const) })}
${selectField({ name: 'order', label: 'Order', value: value('order') || 'desc', errors, options: [['desc', 'Descending'], ['asc', 'Ascending']] })}
${selectField({ name: 'limit', label: 'Per page', value: value('limit') || '20', errors, options: ['20', '50', '100'].map((n) => [n, n] as const) })}
<div><button type="submit">Apply</button></div>
</form>`;
}

function formWithErrors(c: Context<AppEnv>, path: string, raw: Raw, errors: FieldError[]): Response {
  return renderPage(c, { title: 'Signals', status: 400, current: '/signals', body: html`${errorSummary(errors)}${filterForm(path, raw, errors)}` });
}

async function signalsPage(c: Context<AppEnv>): Promise<Response> {
  const path = c.req.path === '/' ? '/' : '/signals';
  const parsed = parsePageQuery(listSignalsRoute.query, c.req.url, { dateFields: ['since', 'until'], pageOnly: ['trail'] });
  const { trail, errors: trailErrors } = readTrail(parsed.raw);
  if (!parsed.ok || trailErrors.length > 0) return formWithErrors(c, path, parsed.raw, [...(parsed.ok ? [] : parsed.errors), ...trailErrors]);
  const query: ListSignalsQuery = parsed.value;
  const options = mapQuery(() => listSignalsOptions(query));
  if (!options.ok) return formWithErrors(c, path, parsed.raw, options.errors);
  const page = await listSignals(await readDb(c.var.deadline.signal), options.value);
  const filters = linkParams(parsed.raw);
  const results =
    page.items.length === 0
      ? html`<p>No signals match these filters. <a href="${path}">Show all signals</a>.</p>`
      : html`<ol class="list">${page.items.map((signal) => signalRow(signal))}</ol>`;
  return renderPage(c, {
    title: 'Signals',
    current: '/signals',
    body: html`${filterForm(path, parsed.raw, [])}
<section aria-labelledby="results-h"><h2 id="results-h">${query.q === undefined ? 'Results' : html`Results for “<span dir="auto">${query.q}</span>”`}</h2>
${results}
${pager({ path, filters, cursor: query.cursor, trail, next: nextCursor(listOrdering(query), page.next) })}</section>`,
  });
}

export const signalsPageRoute: WebPage = {
  name: 'signals',
  mount(app) {
    app.get('/', signalsPage);
    app.get('/signals', signalsPage);
  },
};
