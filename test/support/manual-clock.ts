// A clock a test moves by hand, for the `now` option of caches, stores, limiters and flushers.
export interface ManualClock {
  now: () => number;
  advance: (ms: number) => void;
}

export function manualClock(start = 1_000_000): ManualClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}
