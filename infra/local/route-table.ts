// Matches a request to a route the way API Gateway HTTP APIs do: the most specific path wins
// (exact segments before `{param}` before `{proxy+}`), a route for the exact method before `ANY`,
// and `$default` only when nothing else matches.
import type { HttpRoute } from './serverless-config.js';

export interface RouteMatch<T> {
  target: T;
  /** API Gateway's route key, e.g. `GET /v1/signals/{id}` or `$default`. */
  routeKey: string;
  pathParameters: Record<string, string>;
}

type Segment = { kind: 'exact'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface CompiledRoute<T> {
  target: T;
  method: string;
  routeKey: string;
  segments: Segment[];
  /** Sort key: per segment 0 = exact, 1 = param, 2 = greedy; lower is more specific. */
  rank: number[];
}

function compile(path: string): Segment[] {
  return path
    .split('/')
    .filter((part) => part.length > 0)
    .map((part): Segment => {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy?.[1]) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{(.+)\}$/.exec(part);
      if (param?.[1]) return { kind: 'param', name: param[1] };
      return { kind: 'exact', text: part };
    });
}

function compareRank(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? -1) - (b[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** API Gateway passes a malformed escape (`%zz`) through undecoded rather than failing. */
function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i] as Segment;
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0) return undefined;
      params[segment.name] = rest.join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'exact' && segment.text !== part) return undefined;
    if (segment.kind === 'param') params[segment.name] = safeDecode(part);
  }
  return segments.length === parts.length ? params : undefined;
}

export class RouteTable<T> {
  private readonly routes: CompiledRoute<T>[] = [];
  private fallback: { target: T } | undefined;

  add(route: HttpRoute, target: T): void {
    if (route.path === '$default') {
      if (this.fallback) throw new Error('two functions claim the $default route');
      this.fallback = { target };
      return;
    }
    const segments = compile(route.path);
    const routeKey = `${route.method} ${route.path}`;
    if (this.routes.some((existing) => existing.routeKey === routeKey)) throw new Error(`duplicate route ${routeKey}`);
    this.routes.push({
      target,
      method: route.method,
      routeKey,
      segments,
      rank: segments.map((segment) => (segment.kind === 'exact' ? 0 : segment.kind === 'param' ? 1 : 2)),
    });
    // Most specific first, then exact method before ANY: the first match is the right one.
    this.routes.sort((a, b) => compareRank(a.rank, b.rank) || Number(a.method === 'ANY') - Number(b.method === 'ANY'));
  }

  match(method: string, path: string): RouteMatch<T> | undefined {
    const parts = path.split('/').filter((part) => part.length > 0);
    for (const route of this.routes) {
      if (route.method !== 'ANY' && route.method !== method) continue;
      const pathParameters = matchSegments(route.segments, parts);
      if (pathParameters) return { target: route.target, routeKey: route.routeKey, pathParameters };
    }
    return this.fallback ? { target: this.fallback.target, routeKey: '$default', pathParameters: {} } : undefined;
  }

  /** Route keys in match order, `$default` last (for the start-up log). */
  keys(): string[] {
    return [...this.routes.map((route) => route.routeKey), ...(this.fallback ? ['$default'] : [])];
  }
}
