// How the watches function's routes reach a watch: the caller's key scopes it (admins act on every
// key's), and a watch out of scope answers the same 404 as one that does not exist, so a key cannot
// probe another's ids.
import type { Context } from 'hono';
import { getDb } from '../db/client.js';
import { getWatch, type WatchScope } from '../db/watches-repo.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { AppEnv, Caller } from '../http/index.js';
import type { Watch } from '../model/watch.js';

/** Admins act on every watch; any other key on its own; an anonymous caller on none (403). */
export function watchScope(caller: Caller): WatchScope {
  if (caller.keyId === undefined) throw new ForbiddenError('a watch belongs to an API key');
  return { owner: caller.tier === 'admin' ? undefined : caller.keyId };
}

/** The 404 of a watch that is not there, or not the caller's. */
export function noWatch(id: string): NotFoundError {
  return new NotFoundError(`no watch with id ${id}`);
}

/** The caller's watch `id`, or the 404. */
export async function ownedWatch(c: Context<AppEnv>, id: string): Promise<Watch> {
  const watch = await getWatch(await getDb(), watchScope(c.var.caller), id);
  if (watch === undefined) throw noWatch(id);
  return watch;
}
