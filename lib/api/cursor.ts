// Opaque keyset cursors. A cursor names the sort it belongs to, so a client that changes the sort
// or order mid-way gets a clear 400 instead of a silently wrong page.
import { BadRequestError } from '../errors.js';

export interface CursorPayload {
  /** The ordering the cursor was issued for, e.g. `score:desc`. */
  ordering: string;
  /** Sort value of the last row: a number (score) or an ISO timestamp. */
  value: number | string;
  /** Id of the last row (the tie-breaker). */
  id: string;
}

export function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify([payload.ordering, payload.value, payload.id])).toString('base64url');
}

function isPayload(value: unknown): value is [string, number | string, string] {
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === 'string' &&
    (typeof value[1] === 'number' || typeof value[1] === 'string') &&
    typeof value[2] === 'string' &&
    /^[1-9][0-9]{0,17}$/.test(value[2])
  );
}

/** Decodes a cursor issued for `ordering`; anything else is a 400 naming the `cursor` field. */
export function decodeCursor(cursor: string, ordering: string): CursorPayload {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const invalid = (message: string): BadRequestError =>
    new BadRequestError('invalid cursor', { details: [{ location: 'query', field: 'cursor', message }] });
  if (!isPayload(parsed)) throw invalid('is not a cursor this API issued');
  if (parsed[0] !== ordering) throw invalid(`was issued for ${parsed[0]}, not ${ordering}; start again without it`);
  if (typeof parsed[1] === 'string' && Number.isNaN(Date.parse(parsed[1]))) throw invalid('is not a cursor this API issued');
  return { ordering, value: parsed[1], id: parsed[2] };
}
