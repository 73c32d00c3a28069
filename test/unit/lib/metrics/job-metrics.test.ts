import { beforeEach, describe, expect, it } from 'vitest';
import { jobDuration, jobLastSuccess, jobRuns, recordJobRun } from '../../../../lib/metrics/job-metrics.js';
import { registry } from '../../../../lib/metrics/registry.js';
import { observationsOf, valueOf } from '../../../support/metric-values.js';

describe('recordJobRun', () => {
  beforeEach(() => {
    registry.resetMetrics();
  });

  it('counts a run by status, times it, and stamps the last success', async () => {
    // Act
    recordJobRun('janitor', 'succeeded', 1.5, 1_700_000_000_000);

    // Assess
    expect(await valueOf(jobRuns, { job: 'janitor', status: 'succeeded' })).toBe(1);
    expect(await observationsOf(jobDuration, { job: 'janitor' })).toBe(1);
    expect(await valueOf(jobLastSuccess, { job: 'janitor' })).toBe(1_700_000_000);
  });

  it('leaves the last success alone when a run fails', async () => {
    // Prepare
    recordJobRun('janitor', 'succeeded', 1, 1_700_000_000_000);

    // Act
    recordJobRun('janitor', 'failed', 2, 1_700_000_900_000);

    // Assess
    expect(await valueOf(jobRuns, { job: 'janitor', status: 'failed' })).toBe(1);
    expect(await valueOf(jobLastSuccess, { job: 'janitor' })).toBe(1_700_000_000);
  });
});
