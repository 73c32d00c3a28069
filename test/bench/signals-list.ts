// The data path: `GET /v1/signals` on 100,000 signals in real Postgres, through the handler and as
// its bare statement, measured in a child process (see signals-list-child.ts).
import { runChild } from './child.js';
import type { SignalsListResult } from './signals-list-child.js';

export type { SignalsListResult };

export function measureSignalsList(): Promise<SignalsListResult> {
  // Seeding 100,000 rows takes ~9 s of this; the measurement itself a few more.
  return runChild<SignalsListResult>('./signals-list-child.ts', { timeoutMs: 120_000 });
}
