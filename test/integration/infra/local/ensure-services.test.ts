// Proves the Pushgateway that infra/local/ensure-services.sh starts behaves as the metrics code
// expects: a push is visible, and deleting the group removes it. Each test works in its own
// randomly named group; the admin wipe is never used because other suites push in parallel.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { services } from '../../../support/services.js';

const METRIC = 'signal_harvester_pushgateway_probe';

interface MetricsApiResponse {
  status: string;
  data: Array<{ labels: Record<string, string> } & Record<string, unknown>>;
}

function groupUrl(job: string): string {
  return `${services.pushgatewayUrl}/metrics/job/${job}/instance/x`;
}

async function findGroup(job: string): Promise<Record<string, unknown> | undefined> {
  const response = await fetch(`${services.pushgatewayUrl}/api/v1/metrics`);
  const body = (await response.json()) as MetricsApiResponse;
  return body.data.find((group) => group.labels.job === job && group.labels.instance === 'x');
}

async function push(job: string, value: number): Promise<Response> {
  return fetch(groupUrl(job), {
    method: 'PUT',
    headers: { 'content-type': 'text/plain; version=0.0.4' },
    // The text format requires the trailing newline.
    body: `# TYPE ${METRIC} gauge\n${METRIC} ${value}\n`,
  });
}

describe('the local Pushgateway', () => {
  it('exposes a pushed metric under its grouping key', async () => {
    // Prepare
    const job = `test_${randomUUID().replaceAll('-', '')}`;

    try {
      // Act
      const pushed = await push(job, 42);

      // Assess
      expect(pushed.ok).toBe(true);
      expect(await findGroup(job)).toMatchObject({
        [METRIC]: { type: 'GAUGE', metrics: [{ labels: { job, instance: 'x' }, value: '42' }] },
      });
      const exposition = await (await fetch(`${services.pushgatewayUrl}/metrics`)).text();
      expect(exposition).toContain(`${METRIC}{instance="x",job="${job}"} 42`);
    } finally {
      await fetch(groupUrl(job), { method: 'DELETE' });
    }
  });

  it('forgets a group once it is deleted', async () => {
    // Prepare
    const job = `test_${randomUUID().replaceAll('-', '')}`;
    expect((await push(job, 7)).ok).toBe(true);

    // Act
    const deleted = await fetch(groupUrl(job), { method: 'DELETE' });

    // Assess: the Pushgateway applies a DELETE asynchronously (it answers 202), so poll briefly.
    expect(deleted.ok).toBe(true);
    await expect.poll(() => findGroup(job), { timeout: 2000, interval: 20 }).toBeUndefined();
    const exposition = await (await fetch(`${services.pushgatewayUrl}/metrics`)).text();
    expect(exposition).not.toContain(`job="${job}"`);
  });
});
