// The shape of every log line: one JSON object with `time`, `level`, `message`, `service`, then
// the request's keys (function name, correlation id, cold start) and the call's own attributes.
import { LogFormatter, LogItem } from '@aws-lambda-powertools/logger';
import type { LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';

/** Error fields safe to log: name, message, code and status, and the same for each cause. No stack. */
export function describeError(error: Error, depth = 0): LogAttributes {
  const described: LogAttributes = { name: error.name, message: error.message };
  const { code, status } = error as Error & { code?: unknown; status?: unknown };
  if (typeof code === 'string' || typeof code === 'number') described.code = code;
  if (typeof status === 'number') described.status = status;
  if (error.cause instanceof Error && depth < 3) described.cause = describeError(error.cause, depth + 1);
  return described;
}

export class JsonLineFormatter extends LogFormatter {
  public formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const item = new LogItem({
      attributes: {
        time: attributes.timestamp.toISOString(),
        level: attributes.logLevel,
        message: attributes.message,
        service: attributes.serviceName,
      },
    });
    item.addAttributes(additional);
    return item;
  }

  public override formatError(error: Error): LogAttributes {
    return describeError(error);
  }
}
