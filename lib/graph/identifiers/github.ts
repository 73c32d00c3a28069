// GitHub repositories as `owner/repo`, lower case (GitHub names are case-insensitive): a repository's
// URL and any page under it (releases, issues, pulls, blob, tree, …) name the repository. Paths
// GitHub keeps for itself (/orgs, /settings, /features, …) are not owners.

/** First path segments that are GitHub's own pages, never a user or organisation. */
const RESERVED_OWNERS = new Set([
  'about', 'account', 'apps', 'blog', 'codespaces', 'collections', 'contact', 'customer-stories', 'dashboard', 'enterprise',
  'events', 'explore', 'features', 'github-copilot', 'home', 'issues', 'join', 'login', 'logout', 'marketplace', 'new',
  'notifications', 'orgs', 'organizations', 'pricing', 'pulls', 'readme', 'search', 'security', 'sessions', 'settings',
  'site', 'solutions', 'sponsors', 'stars', 'team', 'topics', 'trending', 'users', 'watching',
]);

/** GitHub's rules: owners are 1–39 alphanumerics or single hyphens; repositories 1–100 of [A-Za-z0-9._-]. */
const OWNER = /^[a-z0-9](?:[a-z0-9-]{0,38})$/i;
const REPO = /^[a-z0-9._-]{1,100}$/i;

/** `github.com/owner/repo…` in text; bounded segments keep the scan linear. */
const TEXT_PATTERN = /(?<![\w.-])github\.com\/([A-Za-z0-9][A-Za-z0-9-]{0,38})\/([A-Za-z0-9._-]{1,100})/gi;

/** `owner/repo` lower-cased, or undefined when the pair is not a repository. */
export function githubRepo(owner: string, repo: string): string | undefined {
  const name = repo.replace(/\.git$/i, '');
  if (!OWNER.test(owner) || !REPO.test(name) || name === '.' || name === '..') return undefined;
  if (RESERVED_OWNERS.has(owner.toLowerCase())) return undefined;
  return `${owner}/${name}`.toLowerCase();
}

/** The repository a github.com URL belongs to; undefined for other hosts and GitHub's own pages. */
export function githubRepoOfUrl(url: URL): string | undefined {
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (host !== 'github.com') return undefined;
  const [owner, repo] = url.pathname.split('/').filter((segment) => segment !== '');
  if (owner === undefined || repo === undefined) return undefined;
  return githubRepo(owner, repo);
}

/** Repositories named in `text` (as github.com/owner/repo), in order, each once, at most `max`. */
export function githubMentions(text: string, max: number): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(TEXT_PATTERN)) {
    if (found.size >= max) break;
    const repo = githubRepo(match[1] ?? '', (match[2] ?? '').replace(/\.+$/, ''));
    if (repo !== undefined) found.add(repo);
  }
  return [...found];
}
