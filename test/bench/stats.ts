// Small statistics for noisy timings: medians resist the odd slow run a 2-core box produces.

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** Runs `steps` in turn, `rounds` times, alternating the order so drift favours neither. */
export async function interleave(rounds: number, steps: readonly (() => Promise<void>)[]): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? steps : [...steps].reverse();
    for (const step of order) await step();
  }
}

/** The nearest-rank percentile (`p` from 0 to 100): the smallest sample with p% of them at or below it. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
