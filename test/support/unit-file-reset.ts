// Setup file of the unit project, whose files share one worker's modules (isolate: false in
// vitest.config.ts): after each file, what it may have changed for the next one is put back, so
// no unit test passes or fails because of the file that ran before it.
import { afterAll, vi } from 'vitest';
import { resetConfig } from '../../lib/config.js';

const environment = { ...process.env };

afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  vi.useRealTimers();
  for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name];
  Object.assign(process.env, environment);
  resetConfig();
});
