// The harvest's sources by name: the adapters in lib/harvest/sources/, the HARVEST_SOURCES
// setting (lib/config.ts), and the `source` of the signals they harvest.

export const SOURCE_NAMES = ['hackernews', 'github', 'arxiv', 'reddit', 'x'] as const;

export type SourceName = (typeof SOURCE_NAMES)[number];
