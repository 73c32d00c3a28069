// The key that signs session cookies and CSRF tokens: WEB_SESSION_SECRET from the configuration
// (the Secrets Manager secret in a deployment, so a rotation signs everyone out within the secret's
// TTL). Stage `local` without one signs with a random key per process, so `npm start` works with no
// set-up; any other stage without one cannot offer sign-in and says so (503).
import { createHash, randomBytes } from 'node:crypto';
import { getConfig } from '../../config.js';
import { ServiceUnavailableError } from '../../errors.js';

let localKey: Buffer | undefined;
let derivedFrom: string | undefined;
let derived: Buffer | undefined;

export function sessionSigningKey(): Buffer {
  const { WEB_SESSION_SECRET: secret, STAGE: stage } = getConfig();
  if (secret !== undefined) {
    // Hashed once per value: the HMAC key is 32 bytes whatever the secret's length.
    if (secret !== derivedFrom) {
      derived = createHash('sha256').update(`shd-web-session\n${secret}`, 'utf8').digest();
      derivedFrom = secret;
    }
    return derived as Buffer;
  }
  if (stage === 'local') {
    localKey ??= randomBytes(32);
    return localKey;
  }
  throw new ServiceUnavailableError('web sign-in is not configured (WEB_SESSION_SECRET)');
}
