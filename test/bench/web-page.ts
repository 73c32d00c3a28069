// The web dashboard's signals page against the JSON API's same page, in a child process (see
// web-page-child.ts).
import { runChild } from './child.js';
import type { WebPageResult } from './web-page-child.js';

export type { WebPageResult };

export function measureWebPage(): Promise<WebPageResult> {
  return runChild<WebPageResult>('./web-page-child.ts', { timeoutMs: 180_000 });
}
