// Weighted cue tables compiled into one regular expression each, so the keyword classifier reads
// an item's text once per table however many cues the table holds: it runs on thousands of items
// per harvest. Compiled at module load (the tables are constants); a malformed or duplicated cue
// throws then, so a typo fails every test rather than silently never matching.

/**
 * One cue: a lower-case phrase and its weight. Words are matched whole (`bug` does not match
 * `debug`); a space matches any run of whitespace; a trailing `*` matches any word ending
 * (`crash*`: crash, crashes, crashed, crashing). Letters, digits and `' . + # -` only.
 */
export type Cue = readonly [phrase: string, weight: number];

/** Cues per label. Key order is the tie-break priority of the labels (first wins). */
export type CueTable<Label extends string> = Readonly<Record<Label, readonly Cue[]>>;

export interface Lexicon<Label extends string> {
  /** The labels, in priority order. */
  readonly labels: readonly Label[];
  /**
   * Each label's score: the sum of the weights of its distinct cues found, a cue in the title
   * counting `titleWeight` times. `title` and `text` must already be lower case.
   */
  score(title: string, text: string): Record<Label, number>;
}

const PHRASE = /^[a-z0-9'.+#-]+( [a-z0-9'.+#-]+)*\*?$/;

/** The regular-expression source of one phrase (see `Cue`). */
function phrasePattern(phrase: string): string {
  if (!PHRASE.test(phrase)) throw new Error(`invalid cue ${JSON.stringify(phrase)}`);
  const wildcard = phrase.endsWith('*');
  const words = (wildcard ? phrase.slice(0, -1) : phrase).split(' ').map((word) => word.replace(/[.+#]/g, '\\$&'));
  return `${words.join('\\s+')}${wildcard ? '\\w*' : ''}`;
}

interface Entry<Label extends string> {
  label: Label;
  weight: number;
}

/**
 * Compiles a table into one alternation of capture groups, one per cue, longest phrase first so
 * that at a given position the longer cue wins (`memory leak` before `memory`). Which group
 * matched says which cue it was.
 */
export function compileLexicon<Label extends string>(table: CueTable<Label>, titleWeight: number): Lexicon<Label> {
  const labels = Object.keys(table) as Label[];
  const cues: Array<{ phrase: string; entry: Entry<Label> }> = [];
  const seen = new Set<string>();
  for (const label of labels) {
    for (const [phrase, weight] of table[label]) {
      if (seen.has(phrase)) throw new Error(`cue ${JSON.stringify(phrase)} appears twice in one table`);
      if (!(weight > 0)) throw new Error(`cue ${JSON.stringify(phrase)} needs a positive weight`);
      seen.add(phrase);
      cues.push({ phrase, entry: { label, weight } });
    }
  }
  // Stable sort: equal lengths keep table order, so the compiled pattern is deterministic.
  cues.sort((a, b) => b.phrase.length - a.phrase.length);
  const groups = cues.map((cue) => `(${phrasePattern(cue.phrase)})`).join('|');
  const pattern = new RegExp(`(?<!\\w)(?:${groups})(?!\\w)`, 'g');
  const entries = cues.map((cue) => cue.entry);

  /** Records the strongest factor each matched cue (by index) was found with. */
  function collect(text: string, factor: number, found: Map<number, number>): void {
    pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(text)) !== null) {
      // The first defined group is the cue that matched (group 0 is the whole match).
      let group = 1;
      while (group < match.length && match[group] === undefined) group += 1;
      const index = group - 1;
      if ((found.get(index) ?? 0) < factor) found.set(index, factor);
    }
  }

  return {
    labels,
    score(title, text) {
      const found = new Map<number, number>();
      collect(text, 1, found);
      collect(title, titleWeight, found);
      const scores = Object.fromEntries(labels.map((label) => [label, 0])) as Record<Label, number>;
      for (const [index, factor] of found) {
        const entry = entries[index];
        if (entry !== undefined) scores[entry.label] += entry.weight * factor;
      }
      return scores;
    },
  };
}

/** The first label with the highest score, in the lexicon's priority order; undefined when all are below `minimum`. */
export function strongest<Label extends string>(labels: readonly Label[], scores: Record<Label, number>, minimum: number): Label | undefined {
  let best: Label | undefined;
  let bestScore = minimum;
  for (const label of labels) {
    const value = scores[label];
    if (value > bestScore || (best === undefined && value >= bestScore)) {
      best = label;
      bestScore = value;
    }
  }
  return best;
}
