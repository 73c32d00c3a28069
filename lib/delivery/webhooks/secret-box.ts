// Webhook signing secrets at rest: AES-256-GCM under a key from the app's configuration
// (WEBHOOK_SECRET_KEY, kept in the Secrets Manager secret), so a copy of the database alone cannot
// sign as us. Each ciphertext is bound to its watch (additional authenticated data), so a row's
// secret copied onto another watch fails to open instead of signing for it.
// Format: `v1:<iv>:<tag>:<ciphertext>`, each part base64url; a new IV (96 bits) per seal.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Config } from '../../config.js';
import { ConfigError } from '../../errors.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The local stage's key, derived from a fixed phrase: secrets sealed by `npm start` are protected
 * only as well as the developer's disk. Never used outside the local stage (webhookKey refuses).
 */
const LOCAL_KEY = createHash('sha256').update('signal-harvester local webhook secret key').digest();

/** The 32-byte key: WEBHOOK_SECRET_KEY, or the embedded local one on the local stage. */
export function webhookKey(config: Pick<Config, 'STAGE' | 'WEBHOOK_SECRET_KEY'>): Buffer {
  if (config.WEBHOOK_SECRET_KEY !== undefined) return Buffer.from(config.WEBHOOK_SECRET_KEY, 'base64');
  if (config.STAGE === 'local') return LOCAL_KEY;
  throw new ConfigError('WEBHOOK_SECRET_KEY is required outside the local stage (32 bytes, base64, in the secret)');
}

function aad(watchId: string): Buffer {
  return Buffer.from(`webhook-secret:${watchId}`, 'utf8');
}

/** Encrypts `secret` for the watch `watchId`. */
export function sealSecret(key: Buffer, watchId: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(watchId));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join(':');
}

/** Thrown when a sealed secret cannot be opened (wrong key, another watch's, or altered). */
export class SealedSecretError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SealedSecretError';
  }
}

/** Decrypts what sealSecret produced for the same watch and key. */
export function openSecret(key: Buffer, watchId: string, sealed: string): string {
  const [version, iv, tag, ciphertext, ...rest] = sealed.split(':');
  if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined || rest.length > 0) {
    throw new SealedSecretError('not a sealed webhook secret');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(watchId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new SealedSecretError('the webhook secret could not be opened (wrong key or altered)', { cause: error });
  }
}

/** What GET shows of a secret: `whsec_` and a few characters, enough to tell two apart. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, 12);
}
