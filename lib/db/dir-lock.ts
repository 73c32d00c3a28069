// PGlite has no lock of its own: two processes opening one data directory corrupt it. A lock file
// beside the directory names the owning process; a lock left by a dead process is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Whether process `pid` is running (EPERM: it is, owned by another user). Shared by every lock file naming its process. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock for `dir` or throws naming the process that holds it; returns the release. */
export function lockDirectory(dir: string): () => void {
  const path = `${dir.replace(/\/+$/, '')}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8'));
      if (owner === process.pid || (Number.isInteger(owner) && owner > 0 && processAlive(owner))) {
        throw new Error(`the embedded database ${dir} is in use by process ${owner} (another npm start?); stop it or set PGLITE_DIR`, { cause: error });
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`could not lock the embedded database ${dir}`);
}
