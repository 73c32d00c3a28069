// Access tiers, lowest first. The order is the whole model: a caller may use a route when its tier
// ranks at or above the route's, so adding a tier means placing it in this list.

export const TIERS = ['anonymous', 'api_key', 'premium', 'admin'] as const;

export type Tier = (typeof TIERS)[number];

/** Whether a string (e.g. a database column) names a tier. */
export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value);
}

/** Position of a tier in TIERS: higher means more access. */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** Whether a caller of tier `caller` may use something that needs tier `required`. */
export function hasTier(caller: Tier, required: Tier): boolean {
  return tierRank(caller) >= tierRank(required);
}
