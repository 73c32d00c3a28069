// Ids that arrive in URLs are checked here before they reach SQL: a malformed one is simply "not
// found" (undefined), instead of a Postgres cast error that would surface as a 500.

/** A positive bigint in decimal, at most 18 digits so it always fits in int8 (max ~9.22e18). */
const SIGNAL_ID = /^[1-9][0-9]{0,17}$/;

/** A UUID in its canonical 8-4-4-4-12 hex form, either case. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isSignalId(value: string): boolean {
  return SIGNAL_ID.test(value);
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
