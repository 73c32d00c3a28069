// AWS schedule expressions: `rate(5 minutes)` and `cron(Minutes Hours Day-of-month Month
// Day-of-week Year)`. Croner speaks the same Quartz dialect (1 = Sunday, `?`, `L`, `W`, `#`, a
// year field) when asked, so the cron part is a translation, not a parser of our own.
import { Cron } from 'croner';

export interface ScheduleClock {
  /** The next time at or after which the schedule fires, strictly after `after`; undefined if never. */
  next(after: Date): Date | undefined;
}

const RATE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/;
const CRON = /^cron\((.+)\)$/;
const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** Parses an AWS schedule expression; throws with the expression in the message if invalid. */
export function parseSchedule(expression: string, origin: Date = new Date()): ScheduleClock {
  const rate = RATE.exec(expression.trim());
  if (rate) {
    const count = Number(rate[1]);
    const unit = (rate[2] ?? 'minute').replace(/s$/, '') as keyof typeof UNIT_MS;
    if (count < 1) throw new Error(`invalid schedule "${expression}": the rate must be at least 1`);
    if ((count === 1) !== !rate[2]?.endsWith('s')) {
      throw new Error(`invalid schedule "${expression}": AWS wants "1 ${unit}" and "N ${unit}s"`);
    }
    // EventBridge counts a rate from when the rule is created; locally, from start-up.
    const periodMs = count * UNIT_MS[unit];
    return {
      next(after) {
        const elapsed = after.getTime() - origin.getTime();
        const periods = Math.floor(elapsed / periodMs) + 1;
        return new Date(origin.getTime() + Math.max(1, periods) * periodMs);
      },
    };
  }
  const cron = CRON.exec(expression.trim());
  if (cron) {
    const fields = (cron[1] ?? '').trim().split(/\s+/);
    if (fields.length !== 6) throw new Error(`invalid schedule "${expression}": cron needs 6 fields`);
    const [, , dayOfMonth, , dayOfWeek] = fields;
    if ((dayOfMonth === '?') === (dayOfWeek === '?')) {
      throw new Error(`invalid schedule "${expression}": exactly one of day-of-month and day-of-week must be "?"`);
    }
    let job: Cron;
    try {
      job = new Cron(`0 ${fields.join(' ')}`, { mode: '7-part', alternativeWeekdays: true, timezone: 'UTC', paused: true });
    } catch (error) {
      throw new Error(`invalid schedule "${expression}": ${(error as Error).message}`, { cause: error });
    }
    return { next: (after) => job.nextRun(after) ?? undefined };
  }
  throw new Error(`invalid schedule "${expression}": expected rate(...) or cron(...)`);
}
