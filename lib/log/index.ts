// Structured JSON logs: one object per line, built on Powertools Logger (the Lambda field's own,
// ~23 KB bundled) with our line shape and redaction. Request-scoped keys (function name,
// correlation id, cold start) ride on a cheap child wrapper rather than on the shared logger, so
// the local runtime can serve many functions from one process without mixing their keys.
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { getConfig } from '../config.js';
import { JsonLineFormatter } from './formatter.js';
import { redactReplacer } from './redact.js';

export { registerSecretValue, clearSecretValues } from './redact.js';
export type { LogAttributes };

/** Attributes of one log call: plain data, or an Error under any key. */
export type LogFields = LogAttributes;

export interface Log {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `keys` to every line. */
  child(keys: LogFields): Log;
}

let base: Logger | undefined;

function baseLogger(): Logger {
  base ??= new Logger({
    serviceName: 'signal-harvester',
    logLevel: getConfig().LOG_LEVEL,
    logFormatter: new JsonLineFormatter(),
    jsonReplacerFn: redactReplacer,
  });
  return base;
}

class KeyedLog implements Log {
  constructor(private readonly keys: LogFields) {}

  debug(message: string, fields?: LogFields): void {
    baseLogger().debug(message, fields ? { ...this.keys, ...fields } : this.keys);
  }

  info(message: string, fields?: LogFields): void {
    baseLogger().info(message, fields ? { ...this.keys, ...fields } : this.keys);
  }

  warn(message: string, fields?: LogFields): void {
    baseLogger().warn(message, fields ? { ...this.keys, ...fields } : this.keys);
  }

  error(message: string, fields?: LogFields): void {
    baseLogger().error(message, fields ? { ...this.keys, ...fields } : this.keys);
  }

  child(keys: LogFields): Log {
    return new KeyedLog({ ...this.keys, ...keys });
  }
}

/** The process-wide logger; call `.child()` to add request keys. */
export const log: Log = new KeyedLog({});

/** Drops the shared logger so the next line re-reads LOG_LEVEL (tests). */
export function resetLog(): void {
  base = undefined;
}
