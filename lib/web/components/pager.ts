// Keyset paging with a way back, without JavaScript or server state. The API pages forward only
// (`cursor` = where the previous page stopped), so a page's URL also carries `trail`: the cursors
// of the pages before it. "Next" appends the current cursor to the trail, "Previous" pops the last
// one. URLs stay shareable; the trail keeps at most TRAIL_MAX cursors (an older page is then
// reached through "First page").
import type { FieldError } from '../../validation/field-errors.js';
import { html, type Html } from '../html.js';

export const TRAIL_MAX = 20;
const CURSOR_TEXT = /^[A-Za-z0-9_-]{1,512}$/;

/** The trail's cursors, or a field error (too many, or not cursor text). */
export function readTrail(raw: Record<string, string | string[]>): { trail: string[]; errors: FieldError[] } {
  const value = raw.trail;
  const trail = value === undefined ? [] : Array.isArray(value) ? value : [value];
  if (trail.length > TRAIL_MAX) return { trail: [], errors: [{ location: 'query', field: 'trail', message: `must hold at most ${String(TRAIL_MAX)} cursors` }] };
  if (!trail.every((cursor) => CURSOR_TEXT.test(cursor))) return { trail: [], errors: [{ location: 'query', field: 'trail', message: 'is not a trail this site issued' }] };
  return { trail, errors: [] };
}

/** `path` with `params` as its query string (repeated keys for lists, empty ones left out). */
export function hrefWith(path: string, params: ReadonlyArray<readonly [string, string]>): string {
  const search = new URLSearchParams();
  for (const [key, value] of params) if (value !== '') search.append(key, value);
  const query = search.toString();
  return query === '' ? path : `${path}?${query}`;
}

export interface PagerOptions {
  path: string;
  /** The filters the page was asked with (no cursor, no trail), kept on every link. */
  filters: ReadonlyArray<readonly [string, string]>;
  cursor: string | undefined;
  trail: readonly string[];
  /** The cursor of the next page; null on the last one. */
  next: string | null;
}

export function pager(options: PagerOptions): Html | string {
  const { path, filters, cursor, trail, next } = options;
  const links: Html[] = [];
  if (cursor !== undefined) {
    const previous = trail.at(-1);
    const back = previous === undefined ? filters : [...filters, ['cursor', previous] as const, ...trail.slice(0, -1).map((c) => ['trail', c] as const)];
    links.push(html`<a class="prev" rel="prev" href="${hrefWith(path, back)}">← Previous</a>`);
    if (previous !== undefined) links.push(html`<a href="${hrefWith(path, filters)}">First page</a>`);
  }
  if (next !== null) {
    const forward = cursor === undefined ? trail : [...trail, cursor].slice(-TRAIL_MAX);
    links.push(html`<a class="next" rel="next" href="${hrefWith(path, [...filters, ['cursor', next], ...forward.map((c) => ['trail', c] as const)])}">Next →</a>`);
  }
  if (links.length === 0) return '';
  return html`<nav class="pager" aria-label="Pages">${links}</nav>`;
}
