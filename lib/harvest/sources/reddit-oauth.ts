// Reddit's app-only OAuth (client credentials): a bearer token from `POST /api/v1/access_token`
// with the app's id and secret as Basic auth, then every listing from oauth.reddit.com with it.
// Anonymous www.reddit.com answers 403 to data-centre addresses, so from Lambda this is the only
// way in. A token lives a day; a container keeps it until a minute before it expires.
import { SourceError } from './errors.js';
import { isRecord, numberField, stringField } from './fields.js';
import { buildUrl } from './http.js';

export interface RedditCredentials {
  clientId: string;
  clientSecret: string;
  /** Where the token is asked for (REDDIT_AUTH_URL), e.g. `https://www.reddit.com`. */
  authUrl: string;
  userAgent: string;
}

interface CachedToken {
  token: string;
  expiresAtMs: number;
}

/** Renew this long before Reddit's expiry, so a token never expires mid-run. */
const EXPIRY_MARGIN_MS = 60_000;
const tokens = new Map<string, CachedToken>();

/** Forgets cached tokens: after a 401, and in tests. */
export function forgetRedditTokens(): void {
  tokens.clear();
}

export interface TokenRequest {
  fetch: typeof fetch;
  signal: AbortSignal;
  timeoutMs: number;
  now: () => number;
}

/** A valid bearer token for these credentials: the cached one, else a new one. */
export async function redditToken(credentials: RedditCredentials, request: TokenRequest): Promise<string> {
  const key = `${credentials.authUrl}\u0000${credentials.clientId}`;
  const cached = tokens.get(key);
  if (cached !== undefined && cached.expiresAtMs > request.now()) return cached.token;
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  let response: Response;
  try {
    response = await request.fetch(buildUrl(credentials.authUrl, '/api/v1/access_token', {}), {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': credentials.userAgent,
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]),
    });
  } catch (error) {
    throw new SourceError('reddit', request.signal.aborted ? 'aborted' : 'network', 'the OAuth token request failed', { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    throw new SourceError('reddit', 'status', `the OAuth token request answered HTTP ${String(response.status)}`, { upstreamStatus: response.status });
  }
  const body: unknown = await response.json().catch(() => undefined);
  const token = isRecord(body) ? stringField(body, 'access_token') : undefined;
  if (token === undefined || token === '') throw new SourceError('reddit', 'invalid_body', 'the OAuth token response has no access_token');
  const expiresInS = (isRecord(body) ? numberField(body, 'expires_in') : undefined) ?? 3600;
  tokens.set(key, { token, expiresAtMs: request.now() + Math.max(0, expiresInS * 1000 - EXPIRY_MARGIN_MS) });
  return token;
}
