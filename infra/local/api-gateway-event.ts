// Builds the API Gateway HTTP API (payload 2.0) event that the cloud would hand a function, and
// writes the function's result back as API Gateway would, so handlers run unchanged locally.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

export interface HttpRequestInput {
  method: string;
  /** Path and query as received, e.g. `/v1/signals?kind=post`. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
  routeKey: string;
  pathParameters: Record<string, string>;
  /** `Host` value to report when the request has none. */
  domainName: string;
}

/** Bodies API Gateway passes as text; anything else is base64-encoded, as the cloud does. */
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]*\+json|xml|[\w.+-]*\+xml|x-www-form-urlencoded|javascript|graphql))/i;

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

export function buildHttpEvent(input: HttpRequestInput, now: Date = new Date()): APIGatewayProxyEventV2 {
  const queryAt = input.url.indexOf('?');
  const rawPath = queryAt === -1 ? input.url : input.url.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : input.url.slice(queryAt + 1);

  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(input.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') cookies = headerValue(value)?.split(/;\s*/);
    else headers[name] = headerValue(value) ?? '';
  }

  // API Gateway joins repeated query parameters with a comma.
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    query[key] = key in query ? `${query[key]},${value}` : value;
  }

  const contentType = headers['content-type'] ?? '';
  const hasBody = input.body.length > 0;
  const isText = !hasBody || TEXT_TYPES.test(contentType) || contentType === '';
  const domainName = headers.host ?? input.domainName;

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: input.routeKey,
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: 'offline',
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: input.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: input.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: !isText,
  };
  if (cookies) event.cookies = cookies;
  if (Object.keys(query).length > 0) event.queryStringParameters = query;
  if (Object.keys(input.pathParameters).length > 0) event.pathParameters = input.pathParameters;
  if (hasBody) event.body = isText ? input.body.toString('utf8') : input.body.toString('base64');
  return event;
}

/** Writes a function's result the way API Gateway maps it (including the "inferred" format). */
export function writeHttpResult(result: APIGatewayProxyResultV2, response: ServerResponse): void {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    // Payload 2.0 infers a 200 JSON response from anything that is not a structured result.
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    return;
  }
  const headers: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = value as string | number;
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  response.writeHead(result.statusCode ?? 200, headers).end(body);
}
