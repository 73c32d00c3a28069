// What `npm run loadtest` sends: five route classes at fixed shares of the target rate, split into
// lanes (one autocannon instance each) whose starts are spread over a second.
//
// Who is "abusive". Over loopback every request comes from 127.0.0.1, and the limiter keys
// anonymous callers by the source IP API Gateway saw (the runtime takes it from the socket), so
// all anonymous clients of a run share ONE bucket — as clients behind one NAT would. A spoofable
// header cannot tell them apart (the limiter ignores X-Forwarded-For on purpose). Hence:
//   - the legitimate traffic (list, search, get) carries API keys, spread over enough keys that no
//     key's bucket can run dry (a 429 there is an unintended error);
//   - the health probes are anonymous but not rate limited (the health function has no limiter);
//   - the `anonymous` class IS the abusive client: keyless list/search/get calls at a rate well
//     above the anonymous limit, so its 429s are intended, and the number it gets through is
//     checked against what one bucket allows (capacity + refill over the run).
import type { Request } from 'autocannon';
import { FACTORY_CATEGORIES, FACTORY_TAGS, FACTORY_WORDS } from '../support/signal-factory.js';

export const ROUTE_CLASSES = ['list', 'search', 'get', 'health', 'anonymous'] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

export interface RouteClassSpec {
  /** Share of the target rate (the anonymous class may get more, see planTraffic). */
  share: number;
  /** Sent with an API key (rotated over the run's keys) or without one. */
  caller: 'key' | 'anonymous';
  /** 429 is the point of this class (anonymous beyond its limit), not an error. */
  intended429: boolean;
  description: string;
}

export const MIX: Readonly<Record<RouteClass, RouteClassSpec>> = {
  list: { share: 0.35, caller: 'key', intended429: false, description: 'GET /v1/signals?sort=score&limit=20 + filters' },
  search: { share: 0.2, caller: 'key', intended429: false, description: 'GET /v1/signals?q=… (full text)' },
  get: { share: 0.25, caller: 'key', intended429: false, description: 'GET /v1/signals/{id}' },
  health: { share: 0.15, caller: 'anonymous', intended429: false, description: 'GET /health/live, /health/ready' },
  anonymous: { share: 0.05, caller: 'anonymous', intended429: true, description: 'keyless list/search/get above the limit' },
};

/** Largest rate of one lane: autocannon sends a connection's quota at the start of each second. */
const LANE_RATE = 10;
/** Connections per lane, so one slow response does not hold up the whole lane. */
export const LANE_CONNECTIONS = 2;
/** The abusive class sends this many times what one anonymous bucket allows over the run. */
const ABUSE_FACTOR = 3;
/** … but never more than this share of the target rate. */
const MAX_ABUSE_SHARE = 0.3;
/** Share of a key's bucket (capacity + refill over the run) the keyed traffic may use at most. */
const KEY_BUDGET_SHARE = 0.5;

export interface Lane {
  routeClass: RouteClass;
  /** Requests per second of this lane. */
  rate: number;
  /** Delay of its start, so lanes do not all send at the same instant of each second. */
  offsetMs: number;
}

export interface TrafficPlanInput {
  /** Target requests per second, all classes together. */
  rate: number;
  /** Seconds of measured traffic. */
  durationSeconds: number;
  /** Seconds the keys are used in all (warm-up included), for their bucket budget. */
  keyedSeconds: number;
  /** Per-minute limits of the tiers, as the runtime has them. */
  limits: { anonymous: number; api_key: number };
  /** API keys at least (the plan adds more when the keyed rate needs them). */
  minKeys: number;
}

export interface TrafficPlan {
  rates: Record<RouteClass, number>;
  lanes: Lane[];
  /** api_key-tier keys to create, so no key's bucket runs dry. */
  keys: number;
  /** Requests the anonymous class can get through one bucket: capacity + refill over the run. */
  anonymousAllowance: number;
}

/**
 * Rates per class, lanes and the number of keys. The anonymous class gets at least 3 times what
 * one bucket allows over the run, taken out of the other classes: it is refused even when every
 * decision falls back to the runtime's in-memory bucket, which adds a second bucket's worth. It
 * never takes more than 30 % of the rate, so a short or slow run still measures the keyed routes
 * (and may then be too small to reach the limit, which the scenario check reports).
 */
export function planTraffic(input: TrafficPlanInput): TrafficPlan {
  const anonymousAllowance = input.limits.anonymous + (input.limits.anonymous / 60) * input.durationSeconds;
  const anonymousRate = Math.max(
    1,
    Math.min(
      Math.ceil(input.rate * MAX_ABUSE_SHARE),
      Math.max(Math.round(input.rate * MIX.anonymous.share), Math.ceil((ABUSE_FACTOR * anonymousAllowance) / input.durationSeconds)),
    ),
  );
  const others = ROUTE_CLASSES.filter((name) => name !== 'anonymous');
  const otherShare = others.reduce((sum, name) => sum + MIX[name].share, 0);
  const rates = { anonymous: anonymousRate } as Record<RouteClass, number>;
  let assigned = anonymousRate;
  for (const [index, name] of others.entries()) {
    const rate = index === others.length - 1 ? input.rate - assigned : Math.round(((input.rate - anonymousRate) * MIX[name].share) / otherShare);
    rates[name] = Math.max(0, rate);
    assigned += rates[name];
  }

  const keyedRate = ROUTE_CLASSES.filter((name) => MIX[name].caller === 'key').reduce((sum, name) => sum + rates[name], 0);
  const keyBucket = input.limits.api_key + (input.limits.api_key / 60) * input.keyedSeconds;
  const keys = Math.max(input.minKeys, Math.ceil((keyedRate * input.keyedSeconds) / (KEY_BUDGET_SHARE * keyBucket)));

  const unplaced: Array<Omit<Lane, 'offsetMs'>> = [];
  for (const routeClass of ROUTE_CLASSES) {
    const count = Math.ceil(rates[routeClass] / LANE_RATE);
    for (let i = 0; i < count; i += 1) {
      // Spread the class rate over its lanes as evenly as whole numbers allow.
      const rate = Math.floor(rates[routeClass] / count) + (i < rates[routeClass] % count ? 1 : 0);
      if (rate > 0) unplaced.push({ routeClass, rate });
    }
  }
  // Interleave the classes, then spread the starts evenly over one second.
  const byClass = ROUTE_CLASSES.map((name) => unplaced.filter((lane) => lane.routeClass === name));
  const ordered: Array<Omit<Lane, 'offsetMs'>> = [];
  for (let round = 0; ordered.length < unplaced.length; round += 1) {
    for (const lanes of byClass) {
      const lane = lanes[round];
      if (lane !== undefined) ordered.push(lane);
    }
  }
  const lanes = ordered.map((lane, index) => ({ ...lane, offsetMs: Math.floor((index * 1000) / ordered.length) }));
  return { rates, lanes, keys, anonymousAllowance };
}

/** What a lane needs to build its requests. */
export interface RequestPool {
  /** Ids of seeded signals, for `get`. */
  ids: readonly string[];
  /** API keys; keyed requests take them in turn. */
  keys: readonly string[];
}

/** A small deterministic generator (mulberry32), so a run's request sequence can be repeated. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pick<T>(list: readonly T[], random: () => number): T {
  const value = list[Math.floor(random() * list.length)];
  if (value === undefined) throw new Error('pick from an empty list');
  return value;
}

const KINDS = ['post', 'preprint', 'repository', 'release', 'story'] as const;
const SOURCES = ['hackernews', 'arxiv', 'github', 'reddit', 'bluesky'] as const;

/** A list query: sorted by score, 20 a page, with zero to two filters. */
function listPath(random: () => number): string {
  const filters = [
    () => `kind=${pick(KINDS, random)}`,
    () => `source=${pick(SOURCES, random)}`,
    () => `category=${pick(FACTORY_CATEGORIES, random)}`,
    () => `tag=${pick(FACTORY_TAGS, random)}`,
    () => `min_score=${String(Math.floor(random() * 90))}`,
    () => 'status=active',
  ];
  const query = ['sort=score', 'limit=20'];
  // Distinct filters: a repeated one (`kind=a&kind=b`) is a 400, not a query.
  const count = Math.floor(random() * 3);
  const remaining = [...filters];
  for (let i = 0; i < count; i += 1) {
    const [filter] = remaining.splice(Math.floor(random() * remaining.length), 1);
    if (filter !== undefined) query.push(filter());
  }
  return `/v1/signals?${query.join('&')}`;
}

/** A full-text query in web-search syntax: one or two words, sometimes a phrase, an OR or a minus. */
function searchPath(random: () => number): string {
  const first = pick(FACTORY_WORDS, random);
  const second = pick(FACTORY_WORDS, random);
  const forms = [first, `${first} ${second}`, `"${first} ${second}"`, `${first} OR ${second}`, `${first} -${second}`];
  const q = encodeURIComponent(pick(forms, random));
  return `/v1/signals?q=${q}&limit=20${random() < 0.3 ? '&sort=score' : ''}`;
}

function getPath(random: () => number, ids: readonly string[]): string {
  return `/v1/signals/${encodeURIComponent(pick(ids, random))}`;
}

/** The next path of a class. */
export function nextPath(routeClass: RouteClass, random: () => number, pool: RequestPool): string {
  switch (routeClass) {
    case 'list':
      return listPath(random);
    case 'search':
      return searchPath(random);
    case 'get':
      return getPath(random, pool.ids);
    case 'health':
      return random() < 0.5 ? '/health/live' : '/health/ready';
    case 'anonymous': {
      const roll = random();
      return roll < 0.5 ? listPath(random) : roll < 0.75 ? searchPath(random) : getPath(random, pool.ids);
    }
  }
}

/**
 * The autocannon request list of a lane: one entry whose `setupRequest` picks a fresh path (and,
 * for keyed classes, the next key) before every request.
 */
export function laneRequests(lane: Lane, pool: RequestPool, seed: number): Request[] {
  const random = seededRandom(seed);
  const keyed = MIX[lane.routeClass].caller === 'key';
  if (keyed && pool.keys.length === 0) throw new Error(`the ${lane.routeClass} class needs API keys`);
  let turn = Math.floor(random() * Math.max(1, pool.keys.length));
  return [
    {
      method: 'GET',
      setupRequest: (request) => {
        const headers = { ...request.headers };
        if (keyed) {
          turn = (turn + 1) % pool.keys.length;
          headers['x-api-key'] = pool.keys[turn];
        }
        return { ...request, path: nextPath(lane.routeClass, random, pool), headers };
      },
    },
  ];
}
