import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../../infra/local/schedule.js';

/** The next run of `expression` after `after` (ISO strings in and out, UTC). */
function nextRun(expression: string, after: string, origin: string = after): string | undefined {
  return parseSchedule(expression, new Date(origin)).next(new Date(after))?.toISOString();
}

describe('parseSchedule', () => {
  describe('rate expressions', () => {
    const origin = '2025-01-01T00:00:00.000Z';

    it.each([
      ['rate(1 minute)', '2025-01-01T00:00:00.000Z', '2025-01-01T00:01:00.000Z'],
      ['rate(5 minutes)', '2025-01-01T00:00:00.000Z', '2025-01-01T00:05:00.000Z'],
      ['rate(5 minutes)', '2025-01-01T00:07:30.000Z', '2025-01-01T00:10:00.000Z'],
      ['rate(5 minutes)', '2025-01-01T00:10:00.000Z', '2025-01-01T00:15:00.000Z'],
      ['rate(2 hours)', '2025-01-01T03:00:00.000Z', '2025-01-01T04:00:00.000Z'],
      ['rate(1 day)', '2025-01-01T12:00:00.000Z', '2025-01-02T00:00:00.000Z'],
      ['rate(3 days)', '2025-01-01T00:00:00.000Z', '2025-01-04T00:00:00.000Z'],
    ])('%s after %s runs at %s, counting from the origin', (expression, after, expected) => {
      // Act
      const next = nextRun(expression, after, origin);

      // Assess
      expect(next).toBe(expected);
    });

    it('runs one period after the origin when asked about a time before it', () => {
      // Act
      const next = nextRun('rate(5 minutes)', '2024-12-31T23:00:00.000Z', origin);

      // Assess
      expect(next).toBe('2025-01-01T00:05:00.000Z');
    });

    it.each(['rate(1 minutes)', 'rate(5 minute)', 'rate(1 hours)', 'rate(2 day)'])(
      'rejects %s: AWS wants the singular unit for 1 and the plural otherwise',
      (expression) => {
        // Act
        const parse = (): unknown => parseSchedule(expression);

        // Assess
        expect(parse).toThrow(`invalid schedule "${expression}"`);
      },
    );

    it('rejects a rate of zero', () => {
      // Act
      const parse = (): unknown => parseSchedule('rate(0 minutes)');

      // Assess
      expect(parse).toThrow('at least 1');
    });
  });

  describe('cron expressions', () => {
    it('runs every five minutes from the next multiple of five', () => {
      // Act
      const next = nextRun('cron(*/5 * * * ? *)', '2025-01-01T00:02:30.000Z');

      // Assess
      expect(next).toBe('2025-01-01T00:05:00.000Z');
    });

    it('runs at 03:00 the same day while it is still ahead', () => {
      // Act
      const next = nextRun('cron(0 3 * * ? *)', '2025-01-01T01:00:00.000Z');

      // Assess
      expect(next).toBe('2025-01-01T03:00:00.000Z');
    });

    it('runs at 03:00 the next day once 03:00 has passed, and strictly after the given time', () => {
      // Act
      const later = nextRun('cron(0 3 * * ? *)', '2025-01-01T04:00:00.000Z');
      const exact = nextRun('cron(0 3 * * ? *)', '2025-01-01T03:00:00.000Z');

      // Assess
      expect(later).toBe('2025-01-02T03:00:00.000Z');
      expect(exact).toBe('2025-01-02T03:00:00.000Z');
    });

    it('numbers days of the week as AWS does, 1 = Sunday, so 2 is Monday', () => {
      // Prepare: 2025-01-01 is a Wednesday
      const after = '2025-01-01T00:00:00.000Z';

      // Act
      const monday = nextRun('cron(0 9 ? * 2 *)', after);
      const sunday = nextRun('cron(0 9 ? * 1 *)', after);
      const saturday = nextRun('cron(0 9 ? * 7 *)', after);

      // Assess
      expect(monday).toBe('2025-01-06T09:00:00.000Z');
      expect(sunday).toBe('2025-01-05T09:00:00.000Z');
      expect(saturday).toBe('2025-01-04T09:00:00.000Z');
    });

    it('understands day names and ranges such as MON-FRI', () => {
      // Act: from Saturday 2025-01-04
      const fromSaturday = nextRun('cron(0 9 ? * MON-FRI *)', '2025-01-04T00:00:00.000Z');
      const fromMonday = nextRun('cron(0 9 ? * MON-FRI *)', '2025-01-06T10:00:00.000Z');

      // Assess
      expect(fromSaturday).toBe('2025-01-06T09:00:00.000Z');
      expect(fromMonday).toBe('2025-01-07T09:00:00.000Z');
    });

    it('understands L as the last day of the month', () => {
      // Act
      const february = nextRun('cron(0 12 L * ? *)', '2025-02-03T00:00:00.000Z');
      const leapFebruary = nextRun('cron(0 12 L * ? *)', '2024-02-03T00:00:00.000Z');

      // Assess
      expect(february).toBe('2025-02-28T12:00:00.000Z');
      expect(leapFebruary).toBe('2024-02-29T12:00:00.000Z');
    });

    it('honours the year field', () => {
      // Act
      const next = nextRun('cron(0 0 1 1 ? 2030)', '2025-02-03T00:00:00.000Z');
      const never = nextRun('cron(0 0 1 1 ? 2020)', '2025-02-03T00:00:00.000Z');

      // Assess
      expect(next).toBe('2030-01-01T00:00:00.000Z');
      expect(never).toBeUndefined();
    });

    it.each(['cron(0 3 ? * ? *)', 'cron(0 3 * * * *)', 'cron(0 3 1 * MON *)'])(
      'rejects %s: exactly one of day-of-month and day-of-week must be ?',
      (expression) => {
        // Act
        const parse = (): unknown => parseSchedule(expression);

        // Assess
        expect(parse).toThrow(`invalid schedule "${expression}": exactly one of day-of-month and day-of-week must be "?"`);
      },
    );

    it('rejects a cron expression without six fields', () => {
      // Act
      const parse = (): unknown => parseSchedule('cron(0 3 * * ?)');

      // Assess
      expect(parse).toThrow('invalid schedule "cron(0 3 * * ?)": cron needs 6 fields');
    });

    it('rejects fields croner cannot read, naming the expression and keeping the cause', () => {
      // Act
      let thrown: unknown;
      try {
        parseSchedule('cron(x y * * ? *)');
      } catch (error) {
        thrown = error;
      }

      // Assess
      expect(thrown).toBeInstanceOf(Error);
      expect((thrown as Error).message).toMatch(/^invalid schedule "cron\(x y \* \* \? \*\)": /);
      expect((thrown as Error).cause).toBeInstanceOf(Error);
    });
  });

  it.each(['every 5 minutes', 'rate(5 weeks)', 'rate(five minutes)', 'cron()', ''])('rejects garbage such as "%s", naming it', (expression) => {
    // Act
    const parse = (): unknown => parseSchedule(expression);

    // Assess
    expect(parse).toThrow(`invalid schedule "${expression}"`);
  });
});
