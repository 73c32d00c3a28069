// GET /topics: the trending topics over a window (the JSON `GET /v1/topics/trending`'s schema and
// repository call), each with a sparkline of its daily member counts (the repository's topicStats
// timeline, as `GET /v1/topics/{id}` reads it) and its best signals.
import type { Context } from 'hono';
import { readDb } from '../../api/signals-api.js';
import { apiWindow } from '../../api/topics-api.js';
import { trendingTopicsRoute, windowDays } from '../../api/topics-routes.js';
import { topicStats, trendingTopics, type TrendingTopic } from '../../db/topics-repo.js';
import type { AppEnv } from '../../http/index.js';
import type { FieldError } from '../../validation/field-errors.js';
import { sparkline, type DayCount } from '../components/charts.js';
import { errorSummary, selectField } from '../components/form.js';
import { formatScore } from '../components/signal-row.js';
import { html, type Html } from '../html.js';
import { renderPage, type WebPage } from '../page.js';
import { parsePageQuery, rawValue } from '../query.js';

const PATH = '/topics';
const TITLE = 'Trending topics';
const WINDOWS = ['7d', '14d', '30d', '90d'] as const;

function form(raw: Record<string, string | string[]>, errors: readonly FieldError[]): Html {
  const window = rawValue(raw, 'window') || '14d';
  const windows = (WINDOWS as readonly string[]).includes(window) ? WINDOWS : [...WINDOWS, window];
  return html`<form class="filters" method="get" action="${PATH}" aria-label="Choose the window">
${selectField({ name: 'window', label: 'Window', value: window, errors, options: windows.map((w) => [w, `${w.slice(0, -1)} days`] as const) })}
${selectField({ name: 'limit', label: 'Topics', value: rawValue(raw, 'limit') || '10', errors, options: ['10', '20', '50'].map((n) => [n, n] as const) })}
<div><button type="submit">Apply</button></div>
</form>`;
}

function growth(rate: number): string {
  return `${rate >= 0 ? '+' : ''}${Math.round(rate * 100)} %`;
}

function card(topic: TrendingTopic, timeline: readonly DayCount[]): Html {
  return html`<li class="card"><h2><a href="/topics/${topic.id}" dir="auto">${topic.name}</a></h2>
<p class="muted"><span dir="auto">${topic.path}</span> · ${topic.kind}</p>
${sparkline(timeline, `Daily signals in ${topic.name}`)}
<p><strong>${growth(topic.growthRate)}</strong> <span class="muted">(${topic.earlier} → ${topic.recent} signals, earlier → recent half)</span></p>
${topic.topSignals.length === 0 ? '' : html`<ol class="list">${topic.topSignals.map((signal) => html`<li><span class="score">${formatScore(signal.score)}</span><a class="title" dir="auto" href="/signals/${signal.id}">${signal.title}</a></li>`)}</ol>`}
</li>`;
}

async function topicsPage(c: Context<AppEnv>): Promise<Response> {
  const parsed = parsePageQuery(trendingTopicsRoute.query, c.req.url);
  if (!parsed.ok) return renderPage(c, { title: TITLE, status: 400, body: html`${errorSummary(parsed.errors)}${form(parsed.raw, parsed.errors)}` });
  const query = parsed.value;
  const days = windowDays(query.window);
  const window = apiWindow(new Date(), days);
  const db = await readDb(c.var.deadline.signal);
  const topics = await trendingTopics(db, { ...window, limit: query.limit, topSignals: query.top_signals });
  const timelines = await Promise.all(topics.map(async (topic) => (await topicStats(db, topic.id, window)).timeline));
  return renderPage(c, {
    title: TITLE,
    body: html`<p class="muted">Topics growing fastest: signals in the recent half of the last ${days} days against the earlier half.</p>
${form(parsed.raw, [])}
${topics.length === 0 ? html`<p>No topic has signals in this window yet.</p>` : html`<ol class="cards">${topics.map((topic, i) => card(topic, timelines[i] ?? []))}</ol>`}`,
  });
}

export const topicsPageRoute: WebPage = {
  name: 'topics',
  mount(app) {
    app.get(PATH, topicsPage);
  },
};
