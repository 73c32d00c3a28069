// prom-client's metric classes, imported from their own modules: the package index also loads
// default process metrics, the cluster aggregator, summaries (tdigest) and the push client, which
// cost ~67 KB in a Lambda bundle against ~15 KB for these four. The types are the package's own
// (declared for the deep paths in prom-client-deep.d.ts).
import CounterClass from 'prom-client/lib/counter.js';
import GaugeClass from 'prom-client/lib/gauge.js';
import HistogramClass from 'prom-client/lib/histogram.js';
import RegistryClass from 'prom-client/lib/registry.js';

export const Registry = RegistryClass;
export const Counter = CounterClass;
export const Gauge = GaugeClass;
export const Histogram = HistogramClass;

export type { Counter as CounterType, Gauge as GaugeType, Histogram as HistogramType, Registry as RegistryType } from 'prom-client';
