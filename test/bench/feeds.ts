// A watch's feed of 100 items through the feeds handler (rendered, and a 304) against its bare
// page statement, measured in a child process (see feeds-child.ts).
import { runChild } from './child.js';
import type { FeedsResult } from './feeds-child.js';

export type { FeedsResult };

export function measureFeeds(): Promise<FeedsResult> {
  return runChild<FeedsResult>('./feeds-child.ts', { timeoutMs: 120_000 });
}
