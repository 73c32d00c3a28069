// Captures what the logger writes (Powertools sends info to stdout, warn and error to stderr) for
// tests that assert on log lines. Restored by vi.restoreAllMocks().
import { vi } from 'vitest';

/** Starts capturing; the returned function gives everything written so far. */
export function captureOutput(): () => string {
  const chunks: string[] = [];
  const collect = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(collect);
  vi.spyOn(process.stderr, 'write').mockImplementation(collect);
  return () => chunks.join('');
}

/** Starts capturing; the returned function gives the JSON log lines of `level` written so far. */
export function captureLogLines(level: string): () => Record<string, unknown>[] {
  const output = captureOutput();
  return () =>
    output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.level === level);
}
