// What a bench child measures around its timed work: the heap in use before it (after a collection,
// with --expose-gc from runChild), the largest heap in use while it runs (sampled every 5 ms), the
// process's peak resident set, and the work's wall time.
export interface Measured<T> {
  value: T;
  ms: number;
  /** Heap in use before the work, MB. */
  startHeapMb: number;
  /** Largest heap in use while working, MB. */
  peakHeapMb: number;
  /** The process's peak resident set (getrusage), MB. */
  peakRssMb: number;
}

const MB = 1024 * 1024;

/** Runs `work`, sampling the heap while it runs. */
export async function measureMemory<T>(work: () => Promise<T>): Promise<Measured<T>> {
  global.gc?.();
  const startHeap = process.memoryUsage().heapUsed;
  let peakHeap = startHeap;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 5);
  const started = performance.now();
  try {
    const value = await work();
    const ms = performance.now() - started;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    return { value, ms, startHeapMb: startHeap / MB, peakHeapMb: peakHeap / MB, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32): the same synthetic data every run. */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
