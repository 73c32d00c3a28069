// Where a running `npm start` tells `npm run invoke` how to reach its Lambda Invoke API: a file
// under .data/ (mode 0600, so only the developer's own user can read the token) naming the
// process, its URL and the token generated at this start. Removed when the runtime stops; a file
// whose process is gone is ignored.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { processAlive } from '../../lib/db/dir-lock.js';
import { repoRoot } from './settings.js';

export interface RuntimeFile {
  pid: number;
  /** Base URL of the runtime (its HTTP routes and the Invoke API). */
  url: string;
  /** The Invoke API's token: the SigV4 access key id it accepts. */
  token: string;
}

/** `.data/local-runtime.json`, or LOCAL_RUNTIME_FILE (tests run runtimes side by side). */
export function runtimeFilePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.LOCAL_RUNTIME_FILE ?? join(repoRoot, '.data/local-runtime.json');
}

export function writeRuntimeFile(path: string, content: RuntimeFile): void {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true }); // a new file gets mode 0600; an old one could keep a wider mode
  writeFileSync(path, JSON.stringify(content), { mode: 0o600, flag: 'wx' });
}

/** Removes the file if it is still this process's (another runtime may have started since). */
export function removeRuntimeFile(path: string): void {
  if (readRuntimeFile(path)?.pid === process.pid) rmSync(path, { force: true });
}

/** The running runtime's file, or undefined when there is none or its process is gone. */
export function readRuntimeFile(path: string): RuntimeFile | undefined {
  let parsed: Partial<RuntimeFile>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<RuntimeFile>;
  } catch {
    return undefined;
  }
  const { pid, url, token } = parsed;
  if (typeof pid !== 'number' || typeof url !== 'string' || typeof token !== 'string' || !processAlive(pid)) return undefined;
  return { pid, url, token };
}
