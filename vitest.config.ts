import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine (CI),
    // which ran the ~170 files one after the other while most of them wait on Postgres, Redis or a
    // child process. Files are independent (own databases, key prefixes, ports, and the one shared
    // artefact, the serverless package, is made under a lock: test/support/serverless-package.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Quiet by default: tests that read log lines set the level they need.
    env: { LOG_LEVEL: 'warn' },
  },
});
