// One signal in a list: its score, its title linking to its page, and what it is and where from.
import type { Signal } from '../../model/signal.js';
import { html, safeHref, type Html } from '../html.js';

export function formatScore(score: number): string {
  return score.toFixed(1);
}

export function dateTime(date: Date): Html {
  return html`<time datetime="${date.toISOString()}">${date.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;
}

export function tagList(tags: readonly string[]): Html | string {
  if (tags.length === 0) return '';
  return html`<ul class="tags" aria-label="Tags">${tags.map((tag) => html`<li dir="auto">${tag}</li>`)}</ul>`;
}

export function signalRow(signal: Signal, score: number = signal.score): Html {
  const href = safeHref(signal.url);
  return html`<li><span class="score" title="Score">${formatScore(score)}</span><a class="title" dir="auto" href="/signals/${signal.id}">${signal.title}</a><div class="meta"><span>${signal.source}</span><span>${signal.kind}</span>${signal.category === null ? '' : html`<span>${signal.category}</span>`}${dateTime(signal.publishedAt)}${href === undefined ? '' : html`<a href="${href}" rel="noopener noreferrer nofollow">source<span class="sr-only"> of “${signal.title}”</span></a>`}${tagList(signal.tags)}</div></li>`;
}
