// A page's query string, checked with the JSON API's own schema for the same data (lib/api/*-routes.ts),
// so a page accepts exactly what the API accepts. Two differences, both of HTML forms: a field a form
// sent empty (`?q=&kind=`) counts as absent, and a date input's `YYYY-MM-DD` stands for that UTC
// midnight. Parameters only a page has (its paging trail) are taken out first and checked by the page.
import * as z from 'zod/mini';
import { BadRequestError } from '../errors.js';
import type { ObjectSchema } from '../http/index.js';
import { queryLayout, readQuery } from '../http/routing/query.js';
import { firstPerField, toFieldErrors, type FieldError } from '../validation/field-errors.js';
import { unstorableTextErrors } from '../validation/storable-text.js';

export type ParsedQuery<T> = { ok: true; value: T; raw: Record<string, string | string[]> } | { ok: false; errors: FieldError[]; raw: Record<string, string | string[]> };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export interface PageQueryOptions {
  /** Fields whose `YYYY-MM-DD` value means that day's UTC midnight (the API wants a date-time). */
  dateFields?: readonly string[];
  /** Page-only parameters: left out of what the schema sees, returned in `raw`. */
  pageOnly?: readonly string[];
}

/** The values as the form would show them again: what came, empty fields dropped. */
function formValues(search: URLSearchParams, pageOnly: readonly string[]): URLSearchParams {
  const kept = new URLSearchParams();
  for (const [key, value] of search) {
    if (value === '' || pageOnly.includes(key)) continue;
    kept.append(key, value);
  }
  return kept;
}

export function parsePageQuery<S extends ObjectSchema>(schema: S, url: string, options: PageQueryOptions = {}): ParsedQuery<z.output<S>> {
  const search = new URL(url).searchParams;
  const kept = formValues(search, options.pageOnly ?? []);
  const read = readQuery(kept, queryLayout(schema.shape));
  const raw: Record<string, string | string[]> = { ...read.values };
  for (const key of options.pageOnly ?? []) {
    const values = search.getAll(key);
    if (values.length > 0) raw[key] = values;
  }
  const values: Record<string, string | string[]> = { ...read.values };
  for (const field of options.dateFields ?? []) {
    const value = values[field];
    if (typeof value === 'string' && DATE_ONLY.test(value)) values[field] = `${value}T00:00:00Z`;
  }
  const errors: FieldError[] = [...read.errors, ...unstorableTextErrors('query', values)];
  const result = z.safeParse(schema, values);
  if (!result.success) errors.push(...toFieldErrors('query', result.error.issues));
  if (errors.length > 0 || !result.success) return { ok: false, errors: firstPerField(errors), raw };
  return { ok: true, value: result.data, raw };
}

/** The first value of a raw field, as a form input shows it. */
export function rawValue(raw: Record<string, string | string[]>, field: string): string {
  const value = raw[field];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/**
 * Runs the API's mapping of a query to repository options; a 400 it throws for a field (a cursor
 * from another ordering, or not ours) comes back as that field's errors, for the form to show.
 */
export function mapQuery<T>(build: () => T): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  try {
    return { ok: true, value: build() };
  } catch (error) {
    if (error instanceof BadRequestError && Array.isArray(error.details)) return { ok: false, errors: error.details as FieldError[] };
    throw error;
  }
}

/** The query's values as link parameters, without `omit` (the paging): what a pager link keeps. */
export function linkParams(raw: Record<string, string | string[]>, omit: readonly string[] = ['cursor', 'trail']): Array<readonly [string, string]> {
  const params: Array<readonly [string, string]> = [];
  for (const [key, value] of Object.entries(raw)) {
    if (omit.includes(key)) continue;
    for (const one of Array.isArray(value) ? value : [value]) params.push([key, one]);
  }
  return params;
}
