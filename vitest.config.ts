import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

/** What both projects share (the projects below do not extend the root: its global setup runs once). */
const common = {
  testTimeout: 20_000,
  hookTimeout: 30_000,
  pool: 'forks',
  // Quiet by default: tests that read log lines set the level they need.
  env: { LOG_LEVEL: 'warn' },
} as const;

/**
 * Files that measure what they load the machine with themselves (a thousand concurrent decisions from
 * four containers, against time budgets): run after the others, one at a time, so that another
 * file's load never decides their outcome (with two workers they failed where they pass alone).
 */
const ALONE = ['test/integration/lib/ratelimit/limiter.containers.test.ts', 'test/integration/lib/ratelimit/redis-store.test.ts'];

export default defineConfig({
  test: {
    // Once per run, before any project: services reachable, PGlite snapshot, Postgres template.
    globalSetup: ['test/support/global-setup.ts'],
    // Vitest's default is one worker fewer than the cores: a single worker on a 2-core machine (CI),
    // which ran the ~170 files one after the other while most of them wait on Postgres, Redis or a
    // child process. Files are independent (own databases, key prefixes, ports, and the one shared
    // artefact, the serverless package, is made under a lock: test/support/serverless-package.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          ...common,
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // No services and no processes: the files share a worker's loaded modules instead of each
          // starting a process and importing the libraries again (most of a unit file's time). What a
          // file may leave behind (environment, configuration, mocks, timers) is undone after it.
          isolate: false,
          setupFiles: ['test/support/unit-file-reset.ts'],
        },
      },
      {
        test: {
          ...common,
          name: 'services',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**', ...ALONE],
        },
      },
      {
        // One worker, isolated: vitest runs such files last, one after the other.
        test: { ...common, name: 'alone', include: ALONE, maxWorkers: 1 },
      },
    ],
  },
});
