// The Lambda Invoke API at the wire, for the local runtime: `POST /2015-03-31/functions/{name}/
// invocations`, as the AWS SDK's InvokeCommand sends it, so the admin function starts a job locally
// through the very code it runs in the cloud (LAMBDA_ENDPOINT = the runtime's own URL).
//
//   X-Amz-Invocation-Type: Event            → 202, empty body; the handler runs in the background
//   RequestResponse (the default)           → 200 with the handler's JSON result; a handler that
//                                             throws → 200, `X-Amz-Function-Error: Unhandled`,
//                                             `{errorType, errorMessage}` (no stack)
//   DryRun                                  → 204
//   unknown function                        → 404 ResourceNotFoundException
//   payload that is not JSON                → 400 InvalidRequestContentException
//
// Signatures are not checked (there is no account); Lambda's retries of a failed asynchronous
// invocation are not imitated: the failure is logged by the runtime.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` */
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/;

export type InvocationType = 'Event' | 'RequestResponse' | 'DryRun';

export interface InvokeRequest {
  /** The function name as sent (name, deployed name or ARN), URL-decoded. */
  functionName: string;
  invocationType: InvocationType;
  /** The event; `{}` for an empty payload, as Lambda does. */
  payload: unknown;
}

/** A refusal in the Invoke API's own error shape. */
export class InvokeApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvokeApiError';
  }
}

/** The function name of an Invoke request path, or undefined when the path is not one. */
export function invokePathFunction(method: string, pathname: string): string | undefined {
  if (method !== 'POST') return undefined;
  const match = INVOKE_PATH.exec(pathname);
  if (match?.[1] === undefined) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

/** `name`, `name:qualifier` or an ARN → the function's name (the qualifier is ignored locally). */
export function functionNameOf(functionName: string): string {
  return FUNCTION_ARN.exec(functionName)?.[1] ?? functionName.split(':')[0] ?? functionName;
}

/** Reads an Invoke request; throws InvokeApiError for one Lambda would refuse. */
export function parseInvokeRequest(functionName: string, invocationType: string | undefined, body: Buffer): InvokeRequest {
  const type = invocationType ?? 'RequestResponse';
  if (type !== 'Event' && type !== 'RequestResponse' && type !== 'DryRun') {
    throw new InvokeApiError(400, 'InvalidParameterValueException', `Unsupported invocation type: ${type}`);
  }
  let payload: unknown = {};
  if (body.length > 0) {
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new InvokeApiError(400, 'InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`);
    }
  }
  return { functionName: functionNameOf(functionName), invocationType: type, payload };
}

function send(response: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  response.writeHead(status, { 'x-amzn-requestid': randomUUID(), ...headers }).end(body);
}

export function writeInvokeError(response: ServerResponse, error: InvokeApiError): void {
  send(response, error.status, { 'content-type': 'application/json', 'x-amzn-errortype': error.errorType }, JSON.stringify({ Type: 'User', message: error.message }));
}

/** 202 for an accepted Event invocation, 204 for a DryRun. */
export function writeAccepted(response: ServerResponse, invocationType: 'Event' | 'DryRun'): void {
  send(response, invocationType === 'Event' ? 202 : 204, {}, '');
}

/** 200 with a RequestResponse invocation's result, or with the error the handler threw. */
export function writeInvokeResult(response: ServerResponse, outcome: { result: unknown } | { error: unknown }): void {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' };
  if ('error' in outcome) {
    const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
    send(response, 200, { ...headers, 'x-amz-function-error': 'Unhandled' }, JSON.stringify({ errorType: error.name, errorMessage: error.message }));
    return;
  }
  send(response, 200, headers, JSON.stringify(outcome.result ?? null));
}
