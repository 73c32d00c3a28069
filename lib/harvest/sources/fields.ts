// Reading untrusted JSON without trusting it: every source body is `unknown` until these helpers
// have checked the one field a mapper needs. A field of the wrong type reads as absent, so a single
// odd item is skipped by its mapper instead of throwing.

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field when it is an object, else undefined. */
export function recordField(record: JsonRecord, key: string): JsonRecord | undefined {
  const value = record[key];
  return isRecord(value) ? value : undefined;
}

/** The field when it is a string (possibly empty), else undefined. */
export function stringField(record: JsonRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** The field when it is a string with something besides whitespace, else undefined. */
export function textField(record: JsonRecord, key: string): string | undefined {
  const value = stringField(record, key);
  return value !== undefined && value.trim() !== '' ? value : undefined;
}

/** The field when it is a finite number, else undefined. */
export function numberField(record: JsonRecord, key: string): number | undefined {
  const value = record[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The field as an id: a non-empty string, or a non-negative integer written in decimal. */
export function idField(record: JsonRecord, key: string): string | undefined {
  const value = record[key];
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

/** The field when it is an array, else an empty one. */
export function arrayField(record: JsonRecord, key: string): readonly unknown[] {
  const value = record[key];
  return Array.isArray(value) ? (value as unknown[]) : [];
}

/** The field when it is true; false for anything else. */
export function isTrue(record: JsonRecord, key: string): boolean {
  return record[key] === true;
}

/** A Date from an ISO 8601 string, or undefined when it does not parse. */
export function dateFromIso(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** A Date from epoch seconds, or undefined when absent or not positive. */
export function dateFromEpochSeconds(value: number | undefined): Date | undefined {
  if (value === undefined || value <= 0) return undefined;
  return new Date(value * 1000);
}

/** Engagement numbers: the fields that are finite numbers, under the names given. */
export function numbers(record: JsonRecord | undefined, names: Readonly<Record<string, string>>): Record<string, number> {
  const result: Record<string, number> = {};
  if (record === undefined) return result;
  for (const [name, key] of Object.entries(names)) {
    const value = numberField(record, key);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/** The value when it is an absolute http(s) URL (normalised), else undefined: no `javascript:` links stored. */
export function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
