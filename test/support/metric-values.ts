// Reads one series of a prom-client metric, for tests that assert on what was counted.
import type { CounterType, GaugeType, HistogramType } from '../../lib/metrics/prom.js';

type Labels = Record<string, string | number>;

function sameLabels(actual: Partial<Record<string, string | number>>, expected: Labels): boolean {
  const keys = Object.keys(expected);
  return Object.keys(actual).length === keys.length && keys.every((key) => String(actual[key]) === String(expected[key]));
}

/** The value of the series with exactly `labels` of a counter or gauge; 0 when it has none yet. */
export async function valueOf(metric: CounterType | GaugeType, labels: Labels = {}): Promise<number> {
  const { values } = await metric.get();
  return values.find((entry) => sameLabels(entry.labels, labels))?.value ?? 0;
}

/** How many observations a histogram holds for exactly `labels`. */
export async function observationsOf(metric: HistogramType, labels: Labels): Promise<number> {
  const { values } = await metric.get();
  const count = values.find((entry) => entry.metricName?.endsWith('_count') === true && sameLabels(entry.labels, labels));
  return count?.value ?? 0;
}
