// A job's result as job_runs.details: a JSON object (jsonb), bounded in size so a result listing
// thousands of items cannot bloat the table or the admin listing. Jobs that return large results
// summarise them with runJob's `details` option; this is the backstop.

/** Largest details stored, in bytes of JSON; larger ones are replaced by a note of their size. */
export const MAX_DETAILS_BYTES = 16 * 1024;

/** `value` as a JSON object: itself when it is a plain object, else `{ result: value }`. */
export function toDetails(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  let text: string;
  try {
    text = JSON.stringify(typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { result: value }, (_key, item: unknown) =>
      typeof item === 'bigint' ? item.toString() : item,
    );
  } catch {
    return { details_error: 'result not serialisable as JSON' };
  }
  // JSON.stringify gives undefined for some values (a toJSON returning undefined) despite its type.
  if (typeof text !== 'string') return {};
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_DETAILS_BYTES) return { details_truncated: true, details_bytes: bytes };
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { result: parsed };
}
