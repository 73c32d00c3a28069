// Real child processes for fault tests: `npm start`'s entry point and the Neon bridge's CLI, each in
// its own Node process so a test can kill it (SIGKILL: a crash, SIGTERM: a stop) and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../infra/local/settings.js';

export interface Spawned {
  child: ChildProcess;
  /** Every JSON line written to stdout and stderr so far. */
  lines: Record<string, unknown>[];
  /** Everything written, raw. */
  output(): string;
  /** Resolves with the first line `match` accepts, or rejects after `timeoutMs`. */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `script` (relative to the repository) under tsx, with `env` over this process's. */
export function spawnTsx(script: string, env: Readonly<Record<string, string | undefined>>): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
      raw.push(line);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    });
  }
  return {
    child,
    lines,
    output: () => raw.join('\n'),
    async waitFor(match, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(match);
        if (found !== undefined) return found;
        if (child.exitCode !== null) throw new Error(`${script} exited (${String(child.exitCode)}) first:\n${raw.join('\n')}`);
        if (Date.now() > deadline) throw new Error(`${script}: no matching line within ${String(timeoutMs)} ms:\n${raw.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** A TCP port nothing listens on right now (taken from the OS, then released). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The Neon bridge's CLI on `port`, started and listening. */
export async function startBridgeProcess(port: number): Promise<Spawned> {
  const bridge = spawnTsx('infra/local/neon-bridge.ts', { NEON_BRIDGE_PORT: String(port) });
  await bridge.waitFor((line) => line.message === 'neon-bridge listening');
  return bridge;
}
