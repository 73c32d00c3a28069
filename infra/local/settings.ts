// Settings of the local dev tools (not of the product, whose settings live in lib/config.ts).
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's location so the tools run from any directory. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const serverlessYmlPath = fileURLToPath(new URL('../../serverless.yml', import.meta.url));

export function localPort(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.PORT ?? '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`PORT must be a port number (0-65535), got "${raw}"`);
  return port;
}
