// GET /signals/{id}: one signal — what it is, its score and why (score_details), where it came from
// and who else links to it, its related signals from the graph (cites, implements, discusses,
// mentions, same as; both ways), and its text. The id is checked by the API's schema; the signal is read
// by the API's repository call. Unknown id: the 404 page.
import type { Context } from 'hono';
import * as z from 'zod/mini';
import { readDb } from '../../api/signals-api.js';
import { getSignalRoute } from '../../api/signals-routes.js';
import { getSignal } from '../../db/signals-repo.js';
import { relatedEdges, type RelatedEdge } from '../../db/signal-graph-queries.js';
import { urlOwners } from '../../db/signal-urls-repo.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { AppEnv } from '../../http/index.js';
import { RELATIONSHIP_TYPES } from '../../model/relationship.js';
import type { Signal } from '../../model/signal.js';
import { toFieldErrors } from '../../validation/field-errors.js';
import { scoreBreakdown } from '../components/score-breakdown.js';
import { dateTime, formatScore, tagList } from '../components/signal-row.js';
import { html, safeHref, type Html } from '../html.js';
import { renderPage, type WebPage } from '../page.js';

function fact(term: string, value: Html | string | number | null): Html | string {
  return value === null || value === '' ? '' : html`<dt>${term}</dt><dd dir="auto">${value}</dd>`;
}

function engagementTable(engagement: Readonly<Record<string, number>>): Html | string {
  const entries = Object.entries(engagement);
  if (entries.length === 0) return html`<p class="muted">The source reported no counts.</p>`;
  return html`<div class="table-wrap"><table><caption class="sr-only">Engagement at the source</caption><thead><tr><th scope="col">Count</th><th scope="col" class="num">Value</th></tr></thead><tbody>${entries.map(
    ([name, value]) => html`<tr><th scope="row">${name.replace(/_/g, ' ')}</th><td class="num">${value.toLocaleString('en-US')}</td></tr>`,
  )}</tbody></table></div>`;
}

function sources(signal: Signal, alsoOn: readonly string[], mentions: unknown): Html {
  const href = safeHref(signal.url);
  return html`<dl class="facts">
${fact('Source', signal.source)}
${fact('Id at the source', signal.sourceId)}
${fact('Link', href === undefined ? signal.url : html`<a href="${href}" rel="noopener noreferrer nofollow">${signal.url}</a>`)}
${fact('Also linked from', alsoOn.length === 0 ? null : alsoOn.join(', '))}
${fact('Mentions by other sources', typeof mentions === 'number' ? mentions : null)}
</dl>`;
}

/** The graph's edges in words, seen from this signal: "cites" out, "cited by" in. */
const RELATION: Readonly<Record<string, { out: string; in: string }>> = {
  cites: { out: 'cites', in: 'cited by' },
  implements: { out: 'implements', in: 'implemented by' },
  discusses: { out: 'discusses', in: 'discussed by' },
  mentions: { out: 'mentions', in: 'mentioned by' },
  same_as: { out: 'same as', in: 'same as' },
};

/** Most related signals shown (the related route's default page). */
const RELATED_LIMIT = 50;

function relatedTable(edges: readonly RelatedEdge[]): Html {
  if (edges.length === 0) return html`<p class="muted">No related signals found yet.</p>`;
  return html`<div class="table-wrap"><table><caption class="sr-only">Related signals</caption><thead><tr><th scope="col">Relation</th><th scope="col">Signal</th><th scope="col" class="num">Confidence</th></tr></thead><tbody>${edges.map(
    (edge) => html`<tr><td>${RELATION[edge.type]?.[edge.direction] ?? edge.type}</td><td>${
      edge.other === null
        ? html`<span class="muted">not harvested yet:</span> <code dir="auto">${edge.identifier}</code>`
        : html`<a href="/signals/${edge.other.id}" dir="auto">${edge.other.title}</a> <span class="muted">(${edge.other.source}, ${edge.other.kind})</span>`
    }</td><td class="num">${Math.round(edge.confidence * 100)} %</td></tr>`,
  )}</tbody></table></div>`;
}

async function signalPage(c: Context<AppEnv>): Promise<Response> {
  const parsed = z.safeParse(getSignalRoute.params, { id: c.req.param('id') });
  if (!parsed.success) throw new ValidationError('request validation failed', { details: toFieldErrors('params', parsed.error.issues) });
  const db = await readDb(c.var.deadline.signal);
  const signal = await getSignal(db, parsed.data.id);
  if (signal === undefined) throw new NotFoundError(`no signal with id ${parsed.data.id}`);
  // The JSON `GET /v1/signals/{id}/related`'s repository call with every relationship type (its
  // `types` absent). The types come from the model, not the route module: that one's schemas and
  // descriptions would weigh ~2 KB in this bundle for a list.
  const [owners, related] = await Promise.all([urlOwners(db, [signal.url]), relatedEdges(db, signal.id, [...RELATIONSHIP_TYPES], RELATED_LIMIT)]);
  const alsoOn = [...(owners.get(signal.url) ?? [])].filter((source) => source !== signal.source).sort();
  const components = signal.scoreDetails.components as Record<string, unknown> | undefined;
  return renderPage(c, {
    title: signal.title,
    current: '/signals',
    body: html`<dl class="facts">
${fact('Score', formatScore(signal.score))}
${fact('Salience', signal.salience === null ? null : formatScore(signal.salience))}
${fact('Discovery score', signal.discoveryScore === null ? null : formatScore(signal.discoveryScore))}
${fact('Kind', signal.kind)}
${fact('Category', signal.category)}
${fact('Sentiment', signal.sentiment)}
${fact('Urgency', signal.urgency === null ? null : `${String(signal.urgency)} of 5`)}
${fact('Author', signal.author)}
${fact('Published', dateTime(signal.publishedAt))}
${fact('Harvested', dateTime(signal.fetchedAt))}
${fact('Status', signal.status)}
${fact('Tags', signal.tags.length === 0 ? null : tagList(signal.tags))}
</dl>
${signal.text === '' ? '' : html`<h2>Text</h2><p dir="auto" class="text">${signal.text}</p>`}
<h2>Why this score</h2>
${scoreBreakdown(signal.scoreDetails)}
<h2>Sources and mentions</h2>
${sources(signal, alsoOn, components?.mentions)}
<h2>Related signals</h2>
${relatedTable(related)}
<h2>Engagement at the source</h2>
${engagementTable(signal.engagement)}
<p><a href="/signals">← All signals</a> · <a href="/v1/signals/${signal.id}">This signal as JSON</a></p>`,
  });
}

export const signalPageRoute: WebPage = {
  name: 'signal',
  mount(app) {
    app.get('/signals/:id', signalPage);
  },
};
