// Scores and their components are stored with three decimals: finer digits are noise in a 0–100
// ranking and only bloat score_details.

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
