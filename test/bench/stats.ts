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
