// The header's links, in order. `visible` decides per caller (by tier, or whether signed in);
// absent = everyone. Admin and sign-in pages add their entries here.
import type { Caller } from '../http/index.js';

export interface NavItem {
  href: string;
  label: string;
  visible?: (caller: Caller | undefined) => boolean;
}

export const NAV: NavItem[] = [
  { href: '/signals', label: 'Signals' },
  { href: '/discoveries', label: 'Discoveries' },
  { href: '/topics', label: 'Topics' },
];

/** Whether `href` is the nav entry for `path` (`/signals/12` belongs to Signals). */
export function isCurrent(href: string, path: string): boolean {
  return path === href || path.startsWith(`${href}/`);
}
