// The Secrets Manager layer of the configuration: one secret (`SECRETS_ID`), a JSON object of
// strings whose keys override environment config (DATABASE_URL, ADMIN_API_KEY, the Upstash URL and
// token, any other key of lib/config.ts). Loaded with the real SDK, which the Lambda runtime
// provides and the bundles leave out: it is imported dynamically, so a function or a local run
// without SECRETS_ID never loads it. Cached per container for SECRETS_TTL_MS so a rotation
// propagates; a failed refresh keeps the last good value (counted, logged without values); a
// failed first load throws SecretsError (503): the function cannot run without its configuration.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { applyOverrides, getConfig } from './config.js';
import { SecretsError } from './errors.js';
import { log, registerSecretValue } from './log/index.js';
import { secretsRefreshFailures } from './metrics/secrets-metrics.js';

/** Time budget of one GetSecretValue call, retries included, ms. */
const LOAD_TIMEOUT_MS = 3_000;
/** Region when the environment names none (the Lambda runtime always sets AWS_REGION). */
const FALLBACK_REGION = 'us-east-1';

interface Loaded {
  /** The secret's values, as last loaded successfully. */
  values: Readonly<Record<string, string>>;
  /** When the secret was last loaded or a refresh last attempted (Date.now ms). */
  checkedAt: number;
}

let loaded: Loaded | undefined;
let inflight: Promise<void> | undefined;
let client: SecretsManagerClient | undefined;

/** The lazily created client, configured from lib/config.ts (region, endpoint override). */
async function secretsClient(): Promise<SecretsManagerClient> {
  if (client === undefined) {
    const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
    const config = getConfig();
    client ??= new SecretsManagerClient({
      region: config.AWS_REGION ?? FALLBACK_REGION,
      ...(config.SECRETS_ENDPOINT === undefined ? {} : { endpoint: config.SECRETS_ENDPOINT }),
      maxAttempts: 2,
    });
  }
  return client;
}

/** Reads the secret and checks its shape; every failure is a SecretsError carrying its cause. */
async function fetchSecret(secretId: string): Promise<Record<string, string>> {
  let text: string | undefined;
  try {
    const [{ GetSecretValueCommand }, sm] = await Promise.all([import('@aws-sdk/client-secrets-manager'), secretsClient()]);
    const output = await sm.send(new GetSecretValueCommand({ SecretId: secretId }), { abortSignal: AbortSignal.timeout(LOAD_TIMEOUT_MS) });
    text = output.SecretString;
  } catch (error) {
    throw new SecretsError(`secret ${secretId} could not be read`, { cause: error });
  }
  if (text === undefined) throw new SecretsError(`secret ${secretId} has no SecretString`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message may quote the text: the cause is left out on purpose.
    throw new SecretsError(`secret ${secretId} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretsError(`secret ${secretId} is not a JSON object`);
  }
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new SecretsError(`secret ${secretId}: key ${key} is not a string`);
    values[key] = value;
  }
  return values;
}

function sameValues(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

async function refresh(secretId: string, now: number): Promise<void> {
  try {
    const values = await fetchSecret(secretId);
    // Masked before anything can log them, even when the configuration below rejects them.
    for (const value of Object.values(values)) registerSecretValue(value);
    if (loaded === undefined || !sameValues(loaded.values, values)) {
      try {
        applyOverrides(values);
      } catch (error) {
        throw new SecretsError(`secret ${secretId} holds invalid configuration`, { cause: error });
      }
    }
    loaded = { values, checkedAt: now };
  } catch (error) {
    secretsRefreshFailures.inc();
    if (loaded === undefined) throw error;
    // Keep serving the last good value; try again after another TTL rather than on every request.
    loaded = { ...loaded, checkedAt: now };
    log.warn('secrets refresh failed; keeping the last good value', { secret_id: secretId, reason: 'refresh_failed', error });
  }
}

/**
 * Makes sure the secret's values are merged into getConfig(): loads the secret when SECRETS_ID is
 * set and nothing is cached or the cache is older than SECRETS_TTL_MS. Cheap when fresh (a
 * timestamp check). Concurrent callers share one load. Throws SecretsError only when no value was
 * ever loaded.
 */
export async function ensureSecrets(): Promise<void> {
  const { SECRETS_ID: secretId, SECRETS_TTL_MS: ttlMs } = getConfig();
  if (secretId === undefined) return;
  const now = Date.now();
  if (loaded !== undefined && now - loaded.checkedAt < ttlMs) return;
  inflight ??= refresh(secretId, now).finally(() => {
    inflight = undefined;
  });
  await inflight;
}

/** Whether this container holds the secret's values: for the readiness check. */
export function secretsState(): 'not_configured' | 'loaded' | 'not_loaded' {
  if (getConfig().SECRETS_ID === undefined) return 'not_configured';
  return loaded === undefined ? 'not_loaded' : 'loaded';
}

/** Forgets the cached secret, its overrides of the configuration and the client (tests). */
export function clearSecrets(): void {
  loaded = undefined;
  inflight = undefined;
  client?.destroy();
  client = undefined;
  applyOverrides({});
}
