// GET /topics/{id}: one topic — its numbers and daily timeline over a window (the JSON
// `GET /v1/topics/{id}`), and its evolution events (emerge, growth, decline, merge, split), newest
// first and keyset-paged (`GET /v1/topics/{id}/events`). The query string is those two routes'
// parameters together, checked by their schemas; the reads are their repository calls.
import type { Context } from 'hono';
import * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from '../../api/cursor.js';
import { readDb } from '../../api/signals-api.js';
import { apiWindow, EVENTS_ORDERING } from '../../api/topics-api.js';
import { getTopicRoute, topicEventsRoute, windowDays } from '../../api/topics-routes.js';
import { getTopic, listTopicEvents, mergedInto, topicStats } from '../../db/topics-repo.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { AppEnv } from '../../http/index.js';
import { TOPIC_EVENT_KINDS, type TopicEvent } from '../../model/topic.js';
import { toFieldErrors, type FieldError } from '../../validation/field-errors.js';
import { timelineChart } from '../components/charts.js';
import { errorSummary, selectField } from '../components/form.js';
import { pager, readTrail } from '../components/pager.js';
import { html, type Html } from '../html.js';
import { renderPage, type WebPage } from '../page.js';
import { linkParams, mapQuery, parsePageQuery, rawValue } from '../query.js';

/** The topic route's `window` and the events route's `kind`, `limit`, `cursor`: the same field schemas. */
const topicPageQuery = /* @__PURE__ */ z.strictObject({ ...getTopicRoute.query.shape, ...topicEventsRoute.query.shape });

const KIND_LABELS: Readonly<Record<string, string>> = { emerge: 'Emerged', growth: 'Grew', decline: 'Declined', merge: 'Merged', split: 'Split' };

function isTopicRef(value: unknown): value is { id: string; path: string } {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' && typeof (value as { path?: unknown }).path === 'string';
}

function detailValue(value: unknown): Html | string {
  if (isTopicRef(value)) return /^[1-9][0-9]{0,17}$/.test(value.id) ? html`<a href="/topics/${value.id}" dir="auto">${value.path}</a>` : value.path;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? '';
}

function eventRow(event: TopicEvent): Html {
  return html`<tr><td><time datetime="${event.occurredOn}">${event.occurredOn}</time></td><td class="event-kind">${KIND_LABELS[event.kind] ?? event.kind}</td><td>${Object.entries(event.details).map(
    ([key, value]) => html`<span>${key.replace(/_/g, ' ')}: <span dir="auto">${detailValue(value)}</span></span> `,
  )}</td></tr>`;
}

function form(path: string, raw: Record<string, string | string[]>, errors: readonly FieldError[]): Html {
  return html`<form class="filters" method="get" action="${path}" aria-label="Window and events">
${selectField({ name: 'window', label: 'Window', value: rawValue(raw, 'window') || '30d', errors, options: ['7d', '14d', '30d', '90d'].map((w) => [w, `${w.slice(0, -1)} days`] as const) })}
${selectField({ name: 'kind', label: 'Events', value: rawValue(raw, 'kind'), errors, options: [['', 'All'], ...TOPIC_EVENT_KINDS.map((kind) => [kind, KIND_LABELS[kind] ?? kind] as const)] })}
<div><button type="submit">Apply</button></div>
</form>`;
}

async function topicPage(c: Context<AppEnv>): Promise<Response> {
  const params = z.safeParse(getTopicRoute.params, { id: c.req.param('id') });
  if (!params.success) throw new ValidationError('request validation failed', { details: toFieldErrors('params', params.error.issues) });
  const id = params.data.id;
  const path = `/topics/${id}`;
  const parsed = parsePageQuery(topicPageQuery, c.req.url, { pageOnly: ['trail'] });
  const { trail, errors: trailErrors } = readTrail(parsed.raw);
  const after = parsed.ok ? mapQuery(() => (parsed.value.cursor === undefined ? undefined : decodeCursor(parsed.value.cursor, EVENTS_ORDERING))) : undefined;
  const db = await readDb(c.var.deadline.signal);
  const topic = await getTopic(db, id);
  if (topic === undefined) throw new NotFoundError(`no topic with id ${id}`);
  if (!parsed.ok || after === undefined || !after.ok || trailErrors.length > 0) {
    const errors = [...(parsed.ok ? [] : parsed.errors), ...(after !== undefined && !after.ok ? after.errors : []), ...trailErrors];
    return renderPage(c, { title: topic.name, status: 400, current: '/topics', body: html`${errorSummary(errors)}${form(path, parsed.raw, errors)}` });
  }
  const query = parsed.value;
  const days = windowDays(query.window);
  const window = apiWindow(new Date(), days);
  const [stats, mergedFrom, events] = await Promise.all([
    topicStats(db, topic.id, window),
    mergedInto(db, topic.id),
    listTopicEvents(db, topic.id, {
      limit: query.limit,
      kind: query.kind,
      after: after.value === undefined ? undefined : { occurredOn: String(after.value.value), id: after.value.id },
    }),
  ]);
  const next = events.next === undefined ? null : encodeCursor({ ordering: EVENTS_ORDERING, value: events.next.occurredOn, id: events.next.id });
  return renderPage(c, {
    title: topic.name,
    current: '/topics',
    body: html`<dl class="facts">
<dt>Path</dt><dd dir="auto">${topic.path}</dd>
<dt>Kind</dt><dd>${topic.kind}</dd>
<dt>Status</dt><dd>${topic.status}${topic.mergedInto === null ? '' : html` into <a href="/topics/${topic.mergedInto}">topic ${topic.mergedInto}</a>`}</dd>
${topic.keywords.length === 0 ? '' : html`<dt>Keywords</dt><dd dir="auto">${topic.keywords.join(', ')}</dd>`}
${mergedFrom.length === 0 ? '' : html`<dt>Merged from</dt><dd>${mergedFrom.map((from, i) => html`${i > 0 ? ', ' : ''}<a href="/topics/${from.id}" dir="auto">${from.path}</a>`)}</dd>`}
<dt>Signals</dt><dd>${stats.total} in all, ${stats.inWindow} in the last ${days} days (${stats.earlier} → ${stats.recent}, earlier → recent half)</dd>
</dl>
${form(path, parsed.raw, [])}
<h2>Timeline</h2>
${timelineChart(stats.timeline, `Daily signals in ${topic.name}`)}
<h2 id="events-h">Events</h2>
${events.items.length === 0 ? html`<p>No events${query.kind === undefined ? '' : ' of this kind'} yet.</p>` : html`<div class="table-wrap"><table aria-labelledby="events-h"><thead><tr><th scope="col">Day</th><th scope="col">Event</th><th scope="col">Details</th></tr></thead><tbody>${events.items.map(eventRow)}</tbody></table></div>`}
${pager({ path, filters: linkParams(parsed.raw), cursor: query.cursor, trail, next })}
<p><a href="/topics">← Trending topics</a></p>`,
  });
}

export const topicPageRoute: WebPage = {
  name: 'topic',
  mount(app) {
    app.get('/topics/:id', topicPage);
  },
};
