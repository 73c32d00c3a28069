// `npm run invoke -- <function> [--data JSON]`: runs one function once, as `serverless invoke`
// would, and prints its result. Without --data, an HTTP function gets a GET of its first route and
// a scheduled function an EventBridge scheduled event.
import { parseArgs } from 'node:util';
import { buildHttpEvent } from './api-gateway-event.js';
import { invokeFunction, loadFunctions } from './runtime.js';
import { buildScheduledEvent } from './scheduled-event.js';
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
for (const [key, value] of Object.entries(spec.environment)) process.env[key] ??= value;

const functions = await loadFunctions({ ...spec, functions: spec.functions.filter((fn) => fn.name === name) });
const fn = functions.get(name);
if (fn === undefined) throw new Error(`function ${name} failed to load`);

function defaultEvent(): unknown {
  const route = fn?.spec.routes.find((r) => r.path !== '$default') ?? fn?.spec.routes[0];
  if (route === undefined) return buildScheduledEvent({ region: spec.region, functionName: (fn as NonNullable<typeof fn>).functionName });
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
try {
  const result = await invokeFunction(fn, spec, event);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (error) {
  console.error(`${name} failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
