// The knowledge graph's read path: the depth-3 graph of a signal in a store of 100,000 signals and
// 300,000 edges, through the handler and as its statements alone, in a child process (graph-child.ts).
import { runChild } from './child.js';
import type { GraphBenchResult } from './graph-child.js';

export type { GraphBenchResult };

export function measureGraph(): Promise<GraphBenchResult> {
  return runChild<GraphBenchResult>('./graph-child.ts', { timeoutMs: 300_000 });
}
