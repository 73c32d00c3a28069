// `npm start`: serves every function of serverless.yml on http://localhost:$PORT (default 3000)
// and fires its schedules, on embedded defaults, with no cloud account.
import { log } from '../../lib/log/index.js';
import { removeRuntimeFile, runtimeFilePath, writeRuntimeFile } from './runtime-file.js';
import { startLocalRuntime } from './runtime.js';
import { localPort, serverlessYmlPath } from './settings.js';

const startedAt = performance.now();
const runtime = await startLocalRuntime({ configPath: serverlessYmlPath, port: localPort(), host: '127.0.0.1' });
const startupLog = log.child({ component: 'local-runtime' });
// For `npm run invoke`: where this runtime is and the token its Invoke API wants (mode 0600).
const runtimeFile = runtimeFilePath();
writeRuntimeFile(runtimeFile, { pid: process.pid, url: runtime.url, token: runtime.invokeToken });

startupLog.info('routes', { routes: runtime.routes });
startupLog.info('schedules', {
  schedules: runtime.schedules.map((s) => `${s.functionName}: ${s.expression}${s.enabled ? '' : ' (disabled)'}`),
});
startupLog.info(`Signal Harvester is running at ${runtime.url} (try: curl ${runtime.url}/health/live)`, {
  url: runtime.url,
  stage: runtime.spec.stage,
  ready_ms: Math.round(performance.now() - startedAt),
});
// The start-up's last line, plain text for a person to click (the log lines above are JSON).
process.stdout.write(`Dashboard: ${runtime.url}/\n`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    removeRuntimeFile(runtimeFile);
    runtime.close().then(
      () => process.exit(0),
      (error: unknown) => {
        startupLog.error('local runtime did not stop cleanly', { error });
        process.exit(1);
      },
    );
  });
}
