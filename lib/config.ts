// The only reader of process.env. Validates once (zod/mini: tree-shakable, ~16 KB in a bundle
// where classic zod costs ~450 KB), caches the result per container, and fails with a message that
// names every wrong variable. Later layers (secrets) merge into this object; nothing else reads env.
import * as z from 'zod/mini';
import { ConfigError } from './errors.js';

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** A comma-separated list, trimmed, empty entries dropped. */
const commaList = z.pipe(
  z._default(z.string(), ''),
  z.transform((raw: string) =>
    raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  ),
);

const schema = z.object({
  /** Deployment stage (`local`, `dev`, `staging`, `prod`); set by serverless.yml. */
  STAGE: z._default(z.string().check(z.regex(/^[a-z0-9-]+$/)), 'local'),
  /** Release version reported by the health probes; set by serverless.yml from package.json. */
  APP_VERSION: z._default(z.string().check(z.minLength(1)), '0.0.0-dev'),
  /** Minimum level written by lib/log.ts. */
  LOG_LEVEL: z._default(z.enum(LOG_LEVELS), 'info'),
  /** Origins allowed by CORS (exact match, e.g. `https://app.example.com`); empty = no CORS headers. */
  CORS_ALLOWED_ORIGINS: commaList,
});

export type Config = z.output<typeof schema>;
export type LogLevel = Config['LOG_LEVEL'];

/** Words for each zod issue code, so the message says what the variable must look like. */
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    case 'invalid_format':
      // A `regex` check reports format "regex": say what to match, not "must be a valid regex".
      return issue.format === 'regex' && issue.pattern !== undefined
        ? `must match ${issue.pattern}`
        : `must be a valid ${issue.format}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    default:
      return 'is invalid';
  }
}

/**
 * Parses configuration from an environment. Empty strings count as unset, so serverless.yml can
 * pass `${env:X, ''}` through. Values are never echoed in the error: some of them are secrets.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') present[key] = value;
  }
  const result = z.safeParse(schema, present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')} ${describeIssue(issue)}`);
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

let cached: Config | undefined;

/** This container's configuration, parsed from process.env on first use. */
export function getConfig(): Config {
  cached ??= loadConfig(process.env);
  return cached;
}

/** Forgets the cached configuration (tests, and the local runtime after changing env). */
export function resetConfig(): void {
  cached = undefined;
}
