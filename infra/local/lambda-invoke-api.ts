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
// Who may call it: this machine's loopback only (403 AccessDeniedException otherwise, even when the
// runtime listens on every interface), presenting the token the runtime generated at start as the
// SigV4 access key id (`Credential=<token>/…`; 403 UnrecognizedClientException otherwise). The
// runtime's own functions get it through LOCAL_INVOKE_TOKEN, `npm run invoke` from
// .data/local-runtime.json (runtime-file.ts). Without it, any local process could start jobs or
// invoke an HTTP function with an event naming any source IP, i.e. any rate-limit bucket.
// Signatures are not otherwise checked (there is no account); Lambda's retries of a failed
// asynchronous invocation are not imitated: the failure is logged by the runtime.
import { randomUUID, timingSafeEqual } from 'node:crypto';
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

/** `AWS4-HMAC-SHA256 Credential=<access key id>/<date>/<region>/lambda/aws4_request, …` */
const CREDENTIAL = /\bCredential=([^/,\s]+)\//;

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.replace(/^::ffff:/i, '');
  return v4.startsWith('127.') || address === '::1';
}

/** The access key id a SigV4 Authorization header presents, or undefined. */
export function presentedToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : CREDENTIAL.exec(authorization)?.[1];
}

/** Why a caller may not use the Invoke API, or undefined when it may. */
export function refuseCaller(remoteAddress: string | undefined, authorization: string | undefined, token: string): InvokeApiError | undefined {
  if (!isLoopback(remoteAddress)) {
    return new InvokeApiError(403, 'AccessDeniedException', 'the local Invoke API answers callers on this machine only');
  }
  const presented = Buffer.from(presentedToken(authorization) ?? '');
  const expected = Buffer.from(token);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    return new InvokeApiError(403, 'UnrecognizedClientException', 'missing or wrong local invoke token (the access key id; npm run invoke reads it from .data/local-runtime.json)');
  }
  return undefined;
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
