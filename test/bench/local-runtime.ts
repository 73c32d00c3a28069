// Local request overhead of `npm start`, measured in a child process (see local-runtime-child.ts).
import { runChild } from './child.js';
import type { LocalRuntimeResult } from './local-runtime-child.js';

export type { LocalRuntimeResult };

export function measureLocalRuntime(): Promise<LocalRuntimeResult> {
  return runChild<LocalRuntimeResult>('./local-runtime-child.ts', { timeoutMs: 60_000 });
}
