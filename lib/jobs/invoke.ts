// Starts a job now: an asynchronous Lambda invoke (`InvocationType: 'Event'`) of the job's
// function, `FUNCTION_NAME_PREFIX` + name, with `{"source":"admin","runId":…}`. Lambda queues the
// event and answers 202 at once; the job runs in its own invocation with its own timeout, lock and
// budget, exactly as on its schedule. The SDK is the one the Lambda runtime provides (left out of
// bundles) and is imported only when a job is started, so no other request pays for loading it.
// LAMBDA_ENDPOINT points it at the local runtime's Invoke API (infra/local/) or a test's fake.
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { getConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import type { AdminJobEvent } from './event.js';
import { JobStartError } from './errors.js';
import type { JobName } from './names.js';

/** Time budget of one Invoke call, retries included, ms. */
const INVOKE_TIMEOUT_MS = 3_000;
/** Region when the environment names none (the Lambda runtime always sets AWS_REGION). */
const FALLBACK_REGION = 'us-east-1';
/**
 * Credentials for stage `local` with an endpoint override: `npm start` needs no AWS account. The
 * local runtime checks no signature, only that the access key id is its token (LOCAL_INVOKE_TOKEN);
 * the tests' fakes check nothing. Never used in the cloud, where the function's role signs the call.
 */
function localCredentials(token: string | undefined): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: token ?? 'local', secretAccessKey: 'local' };
}

let client: LambdaClient | undefined;
/** The endpoint and token `client` was built for: a restarted local runtime gets a new one. */
let clientEndpoint: string | undefined;

async function lambdaClient(): Promise<LambdaClient> {
  const config = getConfig();
  const target = `${config.LAMBDA_ENDPOINT ?? ''} ${config.LOCAL_INVOKE_TOKEN ?? ''}`;
  const stale = (): boolean => client === undefined || clientEndpoint !== target;
  if (stale()) {
    const { LambdaClient } = await import('@aws-sdk/client-lambda');
    // Checked again after the import: a concurrent caller may have built it meanwhile.
    if (stale()) {
      client?.destroy();
      const local = config.LAMBDA_ENDPOINT !== undefined && config.STAGE === 'local';
      client = new LambdaClient({
        region: config.AWS_REGION ?? FALLBACK_REGION,
        ...(config.LAMBDA_ENDPOINT === undefined ? {} : { endpoint: config.LAMBDA_ENDPOINT }),
        ...(local ? { credentials: localCredentials(config.LOCAL_INVOKE_TOKEN) } : {}),
        maxAttempts: 2,
      });
      clientEndpoint = target;
    }
  }
  return client as LambdaClient;
}

/** The deployed function name of `job`: `signal-harvester-prod-janitor`. */
export function jobFunctionName(job: JobName): string {
  const prefix = getConfig().FUNCTION_NAME_PREFIX;
  if (prefix === undefined) throw new ConfigError('FUNCTION_NAME_PREFIX is not set: serverless.yml sets it to <service>-<stage>-');
  return `${prefix}${job}`;
}

/**
 * Queues one run of `job` with Lambda. Resolves once Lambda has accepted the event (202); rejects
 * with JobStartError when it does not (unknown function, no permission, throttled, unreachable).
 */
export async function invokeJobAsync(job: JobName, event: AdminJobEvent): Promise<void> {
  const functionName = jobFunctionName(job);
  try {
    const [{ InvokeCommand }, lambda] = await Promise.all([import('@aws-sdk/client-lambda'), lambdaClient()]);
    const output = await lambda.send(
      new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(event)) }),
      { abortSignal: AbortSignal.timeout(INVOKE_TIMEOUT_MS) },
    );
    if (output.StatusCode !== 202) throw new Error(`Lambda answered ${String(output.StatusCode)} instead of 202`);
  } catch (error) {
    throw new JobStartError(`job ${job} could not be started (${functionName})`, { cause: error });
  }
}

/** Forgets the client (tests that change config). */
export function resetLambdaClient(): void {
  client?.destroy();
  client = undefined;
  clientEndpoint = undefined;
}
