// The bench's output: one row per figure, with its baseline from the same run and its budget.

/** FAIL only for deterministic budgets (bundle size); timings are noisy and only WARN. */
export type Status = 'PASS' | 'WARN' | 'FAIL';

export interface Row {
  name: string;
  value: string;
  baseline: string;
  /** Ratio and/or difference against the baseline. */
  comparison: string;
  budget: string;
  status: Status;
}

const COLUMNS = ['name', 'value', 'baseline', 'comparison', 'budget', 'status'] as const;
type Cells = Record<(typeof COLUMNS)[number], string>;

const HEADER: Cells = { name: 'measure', value: 'value', baseline: 'baseline', comparison: 'vs baseline', budget: 'budget', status: 'status' };

export function formatTable(rows: readonly Row[]): string {
  const all: Cells[] = [HEADER, ...rows];
  const widths = COLUMNS.map((column) => Math.max(...all.map((row) => row[column].length)));
  const line = (row: Cells): string =>
    COLUMNS.map((column, index) => row[column].padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(HEADER), rule, ...rows.map(line)].join('\n');
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function ms(value: number): string {
  return `${value.toFixed(value < 100 ? 1 : 0)} ms`;
}

export function us(value: number): string {
  return `${value.toFixed(1)} µs`;
}

/** Operations per second, e.g. `3.27 M/s`. */
export function perSecond(value: number): string {
  return value >= 1e6 ? `${(value / 1e6).toFixed(2)} M/s` : `${(value / 1e3).toFixed(1)} k/s`;
}

export function ratio(value: number, baseline: number): string {
  return `×${(value / baseline).toFixed(2)}`;
}

/** `+1.2 ms` style difference, with the unit formatter of the figure. */
export function diff(value: number, baseline: number, unit: (n: number) => string): string {
  const delta = value - baseline;
  return `${delta < 0 ? '-' : '+'}${unit(Math.abs(delta))}`;
}
