// Reads infra/migrations/*.sql. Used by `npm run migrate`, the local runtime and tests — never by
// a Lambda (deploy runs migrations before the new code takes traffic).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Migration } from './migrate.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../infra/migrations/', import.meta.url));

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (fileName) => {
      const match = FILE.exec(fileName);
      if (match === null) throw new Error(`migration file ${fileName} must be named NNNN_lower_snake.sql`);
      return { version: match[1] ?? '', name: match[2] ?? '', sql: await readFile(join(dir, fileName), 'utf8') };
    }),
  );
}
