// The header's links, in order. `visible` decides per caller (by tier, or whether signed in);
// absent = everyone. Admin and sign-in pages add their entries here.
import type { Caller } from '../http/index.js';
import { hasTier } from '../model/tiers.js';

const isAdmin = (caller: Caller | undefined): boolean => caller !== undefined && hasTier(caller.tier, 'admin');

export interface NavItem {
  href: string;
  label: string;
  visible?: (caller: Caller | undefined) => boolean;
}

export const NAV: NavItem[] = [
  { href: '/signals', label: 'Signals' },
  { href: '/discoveries', label: 'Discoveries' },
  { href: '/topics', label: 'Topics' },
  { href: '/admin/jobs', label: 'Jobs', visible: isAdmin },
  { href: '/admin/keys', label: 'API keys', visible: isAdmin },
  { href: '/sign-in', label: 'Sign in', visible: (caller) => caller === undefined || caller.tier === 'anonymous' },
];

/** Whether `href` is the nav entry for `path` (`/signals/12` belongs to Signals). */
export function isCurrent(href: string, path: string): boolean {
  return path === href || path.startsWith(`${href}/`);
}
