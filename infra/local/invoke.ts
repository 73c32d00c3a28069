// `npm run invoke -- <function> [--data JSON]`: runs one function once, as `serverless invoke`
// would, and prints its result. Without --data, an HTTP function gets a GET of its first route and
// a scheduled function an EventBridge scheduled event. When `npm start` is running (on PORT, 3000
// by default), the function runs there, through the Lambda Invoke API the runtime answers, so it
// sees the same embedded database (which only one process may open); otherwise it runs in this
// process, on the configured database, migrated first. The running runtime is found through
// .data/local-runtime.json, which also holds the token its Invoke API requires. Run here, it closes what it
// opened; either way it exits as soon as the function has answered: 0, or 1 when the function or its job failed.
import { parseArgs } from 'node:util';
import { resetDb } from '../../lib/db/client.js';
import { openAndMigrate } from '../../lib/db/prepare-local.js';
import { buildHttpEvent } from './api-gateway-event.js';
import { invokeFunction, loadFunctions } from './runtime.js';
import { buildScheduledEvent } from './scheduled-event.js';
import { readRuntimeFile, runtimeFilePath } from './runtime-file.js';
import { loadServiceSpec } from './serverless-config.js';
import { serverlessYmlPath } from './settings.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { data: { type: 'string', short: 'd' }, stage: { type: 'string', short: 's' } },
});
const name = positionals[0];
const spec = loadServiceSpec({ path: serverlessYmlPath, stage: values.stage ?? 'local', env: process.env });
if (name === undefined || !spec.functions.some((fn) => fn.name === name)) {
  console.error(`usage: npm run invoke -- <function> [--data JSON]\nfunctions: ${spec.functions.map((fn) => fn.name).join(', ')}`);
  process.exit(2);
}

/** The running local runtime's answer, or undefined when none is running. */
async function invokeRunningRuntime(event: unknown): Promise<{ result: unknown; failed: boolean } | undefined> {
  const running = readRuntimeFile(runtimeFilePath());
  if (running === undefined) return undefined; // not running: invoke in this process
  const url = `${running.url}/2015-03-31/functions/${encodeURIComponent(name ?? '')}/invocations`;
  // The Invoke API checks only the SigV4 access key id: the token (see lambda-invoke-api.ts).
  const authorization = `AWS4-HMAC-SHA256 Credential=${running.token}/local/local/lambda/aws4_request`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers: { 'x-amz-invocation-type': 'RequestResponse', authorization }, body: JSON.stringify(event) });
  } catch {
    return undefined; // gone since it wrote its file: invoke in this process
  }
  const text = await response.text();
  if (response.status === 403) throw new Error(`the running local runtime refused the invoke: ${text}`);
  const result: unknown = text === '' ? null : JSON.parse(text);
  return { result, failed: !response.ok || response.headers.has('x-amz-function-error') };
}

async function invokeHere(event: unknown): Promise<unknown> {
  for (const [key, value] of Object.entries(spec.environment)) process.env[key] ??= value;
  try {
    await openAndMigrate();
    const functions = await loadFunctions({ ...spec, functions: spec.functions.filter((fn) => fn.name === name) });
    const fn = functions.get(name ?? '');
    if (fn === undefined) throw new Error(`function ${String(name)} failed to load`);
    return await invokeFunction(fn, spec, event);
  } finally {
    // PGlite re-arms a timer while open: closing it (and releasing its lock) is what lets the process end.
    await resetDb();
  }
}

/** A scheduled job's result carries its run's status; an HTTP function's, its status code. */
function failedResult(result: unknown): boolean {
  if (typeof result !== 'object' || result === null) return false;
  const { status, statusCode } = result as { status?: unknown; statusCode?: unknown };
  return status === 'failed' || (typeof statusCode === 'number' && statusCode >= 500);
}

function defaultEvent(): unknown {
  const fn = spec.functions.find((candidate) => candidate.name === name);
  if (fn === undefined) throw new Error(`no function ${String(name)}`);
  const route = fn.routes.find((r) => r.path !== '$default') ?? fn.routes[0];
  if (route === undefined) return buildScheduledEvent({ region: spec.region, functionName: `${spec.service}-${spec.stage}-${fn.name}` });
  const path = route.path === '$default' ? '/' : route.path.replace(/\{[^}]+\}/g, 'example');
  const method = route.method === 'ANY' ? 'GET' : route.method;
  return buildHttpEvent({
    method,
    url: path,
    headers: { 'user-agent': 'signal-harvester-invoke' },
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    routeKey: route.path === '$default' ? '$default' : `${route.method} ${route.path}`,
    pathParameters: {},
    domainName: 'localhost',
  });
}

const event: unknown = values.data === undefined ? defaultEvent() : JSON.parse(values.data);
let code = 0;
try {
  const remote = await invokeRunningRuntime(event);
  const result = remote === undefined ? await invokeHere(event) : remote.result;
  if (remote?.failed === true || failedResult(result)) code = 1;
  // Written before exiting: process.exit does not wait for a piped stdout to drain.
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`, () => resolve()));
} catch (error) {
  console.error(`${String(name)} failed: ${(error as Error).message}`);
  code = 1;
}
// The function has answered: whatever a library left armed (a metrics interval, an idle socket)
// must not keep the developer waiting.
process.exit(code);
