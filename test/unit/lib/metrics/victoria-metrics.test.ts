// The import body and URL of the VictoriaMetrics push target: samples stamped with the push time,
// push_time_seconds added, and each counter or histogram series born at 0 once. The real server is
// exercised in test/integration/lib/metrics/victoria-metrics.test.ts.
import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry } from '../../../../lib/metrics/prom.js';
import { importBody, importUrl } from '../../../../lib/metrics/victoria-metrics.js';

async function registryText(): Promise<string> {
  const registry = new Registry();
  new Counter({ name: 'hits_total', help: 'h', labelNames: ['route'], registers: [registry] }).inc({ route: '/a b' }, 3);
  new Gauge({ name: 'in_flight', help: 'g', registers: [registry] }).set(2);
  new Histogram({ name: 'took_seconds', help: 't', buckets: [1], registers: [registry] }).observe(0.5);
  return registry.metrics();
}

describe('importBody', () => {
  it('stamps every sample, adds push_time_seconds and gives counters and histograms a 0 sample at their birth', async () => {
    // Act
    const { body, born } = importBody(await registryText(), new Set(), 50_000, 10_000);

    // Assess
    const lines = body.trim().split('\n');
    expect(born).toEqual(['hits_total{route="/a b"}', 'took_seconds_bucket{le="1"}', 'took_seconds_bucket{le="+Inf"}', 'took_seconds_sum', 'took_seconds_count']);
    expect(lines).toContain('hits_total{route="/a b"} 0 10000');
    expect(lines).toContain('hits_total{route="/a b"} 3 50000');
    expect(lines).toContain('in_flight 2 50000');
    expect(lines).not.toContain('in_flight 0 10000');
    expect(lines).toContain('took_seconds_count 0 10000');
    expect(lines).toContain('took_seconds_count 1 50000');
    expect(lines).toContain('push_time_seconds 50 50000');
    expect(lines.some((line) => line.startsWith('#'))).toBe(false);
  });

  it('gives no birth sample to a series already pushed', async () => {
    // Prepare
    const text = await registryText();
    const first = importBody(text, new Set(), 50_000, 10_000);

    // Act
    const second = importBody(text, new Set(first.born), 60_000, 50_000);

    // Assess
    expect(second.born).toEqual([]);
    expect(second.body).not.toMatch(/ 0 50000$/m);
    expect(second.body).toContain('hits_total{route="/a b"} 3 60000');
  });

  it('puts a birth before the sample even when the previous push is not earlier (a clock step back)', () => {
    // Act
    const { body } = importBody('# TYPE x_total counter\nx_total 1\n', new Set(), 5000, 9000);

    // Assess
    expect(body).toContain('x_total 0 4999\nx_total 1 5000');
  });
});

describe('importUrl', () => {
  it('passes the grouping labels as extra_label, values encoded', () => {
    // Act
    const url = new URL(importUrl('http://vm:8428', { job: 'signal-harvester', function: 'signals', instance: 'a/b c' }));

    // Assess
    expect(url.pathname).toBe('/api/v1/import/prometheus');
    expect(url.searchParams.getAll('extra_label')).toEqual(['job=signal-harvester', 'function=signals', 'instance=a/b c']);
  });
});
