// A JobContext as runJob hands one to a job's work, for tests that call the work (or what it passes
// the context to: a source adapter, retention, a topic run) without a Lambda, a lock or job_runs.
import type { Log } from '../../lib/log/index.js';
import type { JobContext } from '../../lib/model/job-context.js';

/** A logger that prints nothing and keeps the messages of its warnings and errors in `kept`. */
export function quietLog(kept: string[] = []): Log {
  const quiet: Log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => void kept.push(message),
    error: (message) => void kept.push(message),
    child: () => quiet,
  };
  return quiet;
}

/**
 * A run of `discover` that never stops and never aborts, with a minute left and a quiet logger;
 * `overrides` replace any of it.
 */
export function testJobContext(overrides: Partial<JobContext> = {}): JobContext {
  return {
    job: 'discover',
    runId: null,
    signal: new AbortController().signal,
    shouldStop: () => false,
    remainingMs: () => 60_000,
    log: quietLog(),
    ...overrides,
  };
}
