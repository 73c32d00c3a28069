// Reads serverless.yml the way the framework would for the parts the local runtime needs:
// functions, their httpApi routes and schedules, and the provider environment. Variables are
// resolved for the sources this project uses (sls, opt, self, param, env, file); anything else
// fails loudly rather than being guessed.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument, type Tags } from 'yaml';

export interface HttpRoute {
  /** Upper-case method, or `ANY` for `method: '*'`. */
  method: string;
  /** API Gateway path template, e.g. `/v1/signals/{id}`; `$default` for the catch-all route. */
  path: string;
}

export interface Schedule {
  /** `rate(5 minutes)` or `cron(0 3 * * ? *)`, AWS syntax. */
  expression: string;
  enabled: boolean;
  /** Constant event passed instead of the EventBridge scheduled event, when configured. */
  input?: unknown;
}

export interface FunctionSpec {
  name: string;
  /** Source file of the handler, absolute (`functions/health.ts`). */
  file: string;
  /** The export name (`handler`). */
  exportName: string;
  timeoutSeconds: number;
  memorySize: number;
  routes: HttpRoute[];
  schedules: Schedule[];
}

export interface ServiceSpec {
  service: string;
  stage: string;
  region: string;
  environment: Record<string, string>;
  functions: FunctionSpec[];
}

export interface LoadOptions {
  /** Path of serverless.yml. */
  path: string;
  stage?: string;
  /** Environment for `${env:…}`; defaults to none (explicit, so tests are hermetic). */
  env?: Readonly<Record<string, string | undefined>>;
}

type Yaml = unknown;

/** CloudFormation short-form tags (`!Ref`, `!GetAtt`, …) stay opaque: they mean nothing locally. */
const CLOUDFORMATION_TAGS: Tags = ['Ref', 'GetAtt', 'Sub', 'Join', 'If', 'Equals', 'Select', 'Split', 'ImportValue', 'FindInMap', 'Base64', 'Cidr', 'GetAZs', 'Not', 'And', 'Or', 'Condition'].flatMap(
  (name) =>
    (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({
      tag: `!${name}`,
      collection: nodeClass === 'scalar' ? undefined : nodeClass,
      resolve: (value: unknown) => ({ [`Fn::${name}`]: value }),
    })),
);

/**
 * A variable starts with a lower-case source (`sls:`, `self:`, `file(…)`, …), as in the framework;
 * `${AWS::Region}` and the like belong to CloudFormation (`!Sub`) and are left alone.
 */
const VARIABLE = /\$\{([a-z][^{}]*)\}/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function getPath(root: unknown, dotted: string): unknown {
  let node: unknown = root;
  for (const key of dotted.split('.')) {
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Splits `a, 'b, c'` at top-level commas (not inside quotes or parentheses). */
function splitFallbacks(expression: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const char of expression) {
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  parts.push(current.trim());
  return parts;
}

class Resolver {
  private readonly fileCache = new Map<string, unknown>();

  constructor(
    private readonly root: Record<string, unknown>,
    private readonly baseDir: string,
    private readonly stage: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  resolve(node: Yaml, trail: string): Yaml {
    if (typeof node === 'string') return this.resolveString(node, trail);
    if (Array.isArray(node)) return node.map((item, index) => this.resolve(item, `${trail}[${index}]`));
    if (isRecord(node)) {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) out[key] = this.resolve(value, `${trail}.${key}`);
      return out;
    }
    return node;
  }

  private resolveString(text: string, trail: string): Yaml {
    let current: Yaml = text;
    for (let guard = 0; typeof current === 'string' && VARIABLE.test(current); guard += 1) {
      if (guard > 20) throw new Error(`serverless.yml ${trail}: variables nest too deep`);
      const match = VARIABLE.exec(current);
      if (match === null) break;
      const value = this.lookup(match[1] ?? '', trail);
      // A function replacer: a resolved value is data, so `$&` or `$1` in it must not be expanded.
      current = match[0] === current ? value : current.replace(match[0], () => String(value));
    }
    return current;
  }

  private lookup(expression: string, trail: string): Yaml {
    for (const candidate of splitFallbacks(expression)) {
      const value = this.source(candidate, trail);
      if (value !== undefined && value !== null) return value;
    }
    throw new Error(`serverless.yml ${trail}: \${${expression}} resolves to nothing`);
  }

  private source(candidate: string, trail: string): Yaml {
    const literal = /^(['"])(.*)\1$/.exec(candidate);
    if (literal) return literal[2];
    if (/^-?\d+(\.\d+)?$/.test(candidate)) return Number(candidate);
    if (candidate === 'true' || candidate === 'false') return candidate === 'true';
    const [kind, ...rest] = candidate.split(':');
    const key = rest.join(':');
    switch (kind) {
      case 'sls':
        if (key === 'stage') return this.stage;
        break;
      case 'opt':
        return key === 'stage' ? this.stage : undefined;
      case 'self':
        return this.resolve(getPath(this.root, key), trail);
      case 'env':
        return this.env[key] === '' ? undefined : this.env[key];
      case 'param': {
        const params = this.root.params;
        const fromStage = getPath(params, `${this.stage}.${key}`);
        return this.resolve(fromStage ?? getPath(params, `default.${key}`), trail);
      }
      default: {
        const file = /^file\(([^)]+)\)$/.exec(kind ?? '');
        if (file?.[1]) return getPath(this.readFile(file[1]), key);
      }
    }
    if (kind === 'sls' || (kind !== undefined && /^[a-z]+(\(.*\))?$/.test(kind) && rest.length > 0)) {
      throw new Error(`serverless.yml ${trail}: variable source "${candidate}" is not supported by the local runtime`);
    }
    return undefined;
  }

  private readFile(relative: string): unknown {
    const path = resolve(this.baseDir, relative);
    if (!this.fileCache.has(path)) {
      const text = readFileSync(path, 'utf8');
      this.fileCache.set(path, path.endsWith('.json') ? JSON.parse(text) : parseDocument(text).toJS());
    }
    return this.fileCache.get(path);
  }
}

function parseRoutes(name: string, events: unknown[]): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const event of events) {
    if (!isRecord(event) || !('httpApi' in event)) continue;
    const spec = event.httpApi;
    if (spec === '*') {
      routes.push({ method: 'ANY', path: '$default' });
    } else if (typeof spec === 'string') {
      const [method = '', path = ''] = spec.split(/\s+/);
      routes.push({ method: method === '*' ? 'ANY' : method.toUpperCase(), path });
    } else if (isRecord(spec) && typeof spec.path === 'string') {
      const method = typeof spec.method === 'string' ? spec.method : '*';
      routes.push({ method: method === '*' ? 'ANY' : method.toUpperCase(), path: spec.path });
    } else {
      throw new Error(`serverless.yml functions.${name}: httpApi event needs a path`);
    }
  }
  return routes;
}

function parseSchedules(events: unknown[]): Schedule[] {
  const schedules: Schedule[] = [];
  for (const event of events) {
    if (!isRecord(event) || !('schedule' in event)) continue;
    const spec = event.schedule;
    if (typeof spec === 'string') {
      schedules.push({ expression: spec, enabled: true });
    } else if (isRecord(spec)) {
      const rates = Array.isArray(spec.rate) ? spec.rate : [spec.rate];
      for (const rate of rates) {
        schedules.push({
          expression: String(rate),
          enabled: spec.enabled !== false && spec.enabled !== 'false',
          ...('input' in spec ? { input: spec.input } : {}),
        });
      }
    }
  }
  return schedules;
}

export function loadServiceSpec(options: LoadOptions): ServiceSpec {
  const text = readFileSync(options.path, 'utf8');
  const document = parseDocument(text, { customTags: CLOUDFORMATION_TAGS });
  if (document.errors.length > 0) throw new Error(`serverless.yml: ${document.errors[0]?.message ?? 'parse error'}`);
  const raw: unknown = document.toJS();
  if (!isRecord(raw)) throw new Error('serverless.yml: expected a mapping at the top');
  const provider = isRecord(raw.provider) ? raw.provider : {};
  const stage = options.stage ?? 'local';
  const resolver = new Resolver(raw, dirname(options.path), stage, options.env ?? {});

  const environment: Record<string, string> = {};
  const providerEnv = resolver.resolve(provider.environment ?? {}, 'provider.environment');
  if (isRecord(providerEnv)) {
    for (const [key, value] of Object.entries(providerEnv)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        throw new Error(`serverless.yml provider.environment.${key}: must be a string, number or boolean`);
      }
      environment[key] = String(value);
    }
  }
  const defaultTimeout = Number(resolver.resolve(provider.timeout ?? 6, 'provider.timeout'));
  const defaultMemory = Number(resolver.resolve(provider.memorySize ?? 1024, 'provider.memorySize'));

  const functions: FunctionSpec[] = [];
  for (const [name, rawSpec] of Object.entries(isRecord(raw.functions) ? raw.functions : {})) {
    const spec = resolver.resolve(rawSpec, `functions.${name}`);
    if (!isRecord(spec) || typeof spec.handler !== 'string') {
      throw new Error(`serverless.yml functions.${name}: handler is required`);
    }
    if (isRecord(spec.environment) && Object.keys(spec.environment).length > 0) {
      // One process serves every function locally, so per-function variables cannot be honoured.
      throw new Error(`serverless.yml functions.${name}: per-function environment is not supported; use provider.environment`);
    }
    const dot = spec.handler.lastIndexOf('.');
    const events = Array.isArray(spec.events) ? spec.events : [];
    functions.push({
      name,
      file: resolve(dirname(options.path), `${spec.handler.slice(0, dot)}.ts`),
      exportName: spec.handler.slice(dot + 1),
      timeoutSeconds: Number(spec.timeout ?? defaultTimeout),
      memorySize: Number(spec.memorySize ?? defaultMemory),
      routes: parseRoutes(name, events),
      schedules: parseSchedules(events),
    });
  }
  const region = resolver.resolve(provider.region ?? 'us-east-1', 'provider.region');
  return { service: String(raw.service), stage, region: String(region), environment, functions };
}
