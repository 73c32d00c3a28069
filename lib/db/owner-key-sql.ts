// A watch's owner_key_id is text (a database key's id, or another key store's id); api_keys.id is a
// uuid. Comparing `api_keys.id::text = owner_key_id` hides the primary key from the planner, so
// every due watch read the whole api_keys table; the owner's id as a uuid (NULL when it is not one:
// no database key has it, and the cast would fail) is a primary-key look-up.
import { raw, type Sql } from './sql.js';

/** The api_keys.id the owner of the watches row `alias` names, or NULL. */
export function ownerKeyRow(alias: 'w' | 'watches'): Sql {
  return raw(`(CASE WHEN ${alias}.owner_key_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN ${alias}.owner_key_id::uuid END)`);
}
