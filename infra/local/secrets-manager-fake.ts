// A local stand-in for AWS Secrets Manager that speaks the real wire protocol (AWS JSON 1.1), so
// the real `@aws-sdk/client-secrets-manager` client, its serializer, error mapping and retries,
// is exercised unchanged. Only GetSecretValue is implemented: it is the one call the app makes.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export interface SecretsManagerFake {
  /** Base URL to pass as `endpoint` to the SDK client, e.g. `http://127.0.0.1:40123`. */
  endpoint: string;
  /** Creates or rotates a secret: the old value becomes AWSPREVIOUS, the new one AWSCURRENT. */
  setSecret(id: string, value: string): void;
  deleteSecret(id: string): void;
  /** Requests received so far, whatever their outcome, so tests can prove a cache was used. */
  readonly calls: number;
  close(): Promise<void>;
}

export interface SecretsManagerFakeOptions {
  /** Secrets present from the start, name → SecretString. Default: none. */
  secrets?: Record<string, string>;
  /** Interface to listen on. Default: `127.0.0.1`. */
  host?: string;
  /** Port to listen on. Default: `0`, a free port chosen by the OS. */
  port?: number;
}

interface StoredVersion {
  value: string;
  versionId: string;
  createdDate: number;
}

interface StoredSecret {
  current: StoredVersion;
  previous?: StoredVersion;
}

type WireBody = Record<string, unknown>;

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_GET_SECRET_VALUE = 'secretsmanager.GetSecretValue';
// A fixed account and region: the ARN only has to look like one, nothing parses it.
const ARN_PREFIX = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:';

export async function startSecretsManagerFake(options: SecretsManagerFakeOptions = {}): Promise<SecretsManagerFake> {
  const host = options.host ?? '127.0.0.1';
  const store = new Map<string, StoredSecret>();
  let calls = 0;

  const setSecret = (id: string, value: string): void => {
    const version = { value, versionId: randomUUID(), createdDate: Math.floor(Date.now() / 1000) };
    const existing = store.get(id);
    store.set(id, existing ? { current: version, previous: existing.current } : { current: version });
  };
  for (const [id, value] of Object.entries(options.secrets ?? {})) setSecret(id, value);

  const server = createServer((req, res) => {
    calls += 1;
    // A client that hangs up mid-body is its own problem; never let it crash the fake.
    answer(req, res, store).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;

  return {
    endpoint: `http://${hostInUrl}:${port}`,
    setSecret,
    deleteSecret: (id) => void store.delete(id),
    get calls() {
      return calls;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps sockets alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, store: Map<string, StoredSecret>): Promise<void> {
  const body = await readBody(req);
  // The SDK always signs; an unsigned request means a misconfigured client, as AWS would say.
  if (!req.headers.authorization?.startsWith('AWS4-HMAC-SHA256')) {
    return send(res, 400, { __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  }
  if (req.method !== 'POST' || req.headers['x-amz-target'] !== TARGET_GET_SECRET_VALUE) {
    return send(res, 400, { __type: 'UnknownOperationException' });
  }
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return send(res, 400, { __type: 'SerializationException', message: 'Request body is not valid JSON.' });
  }
  const { SecretId: secretId, VersionStage: stage = 'AWSCURRENT' } = (input ?? {}) as WireBody;
  if (typeof secretId !== 'string' || typeof stage !== 'string') {
    return send(res, 400, { __type: 'ValidationException', message: 'SecretId must be a string.' });
  }
  // AWS accepts a name or an ARN; ours are the name behind a fixed prefix.
  const name = secretId.startsWith(ARN_PREFIX) ? secretId.slice(ARN_PREFIX.length) : secretId;
  const secret = store.get(name);
  if (!secret) {
    return send(res, 400, {
      __type: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
    });
  }
  const version = stage === 'AWSCURRENT' ? secret.current : stage === 'AWSPREVIOUS' ? secret.previous : undefined;
  if (!version) {
    return send(res, 400, {
      __type: 'ResourceNotFoundException',
      message: `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
    });
  }
  return send(res, 200, {
    ARN: `${ARN_PREFIX}${name}`,
    Name: name,
    VersionId: version.versionId,
    SecretString: version.value,
    VersionStages: [stage],
    CreatedDate: version.createdDate,
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: WireBody): void {
  const headers: Record<string, string> = { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID() };
  // The SDK reads the error code from `__type` first for JSON 1.1; AWS also sends this header.
  if (typeof body.__type === 'string') headers['x-amzn-errortype'] = body.__type;
  res.writeHead(status, headers).end(JSON.stringify(body));
}

// CLI for local development: `tsx infra/local/secrets-manager-fake.ts`. A dev tool, so it reads
// its settings straight from the environment rather than through lib/config.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secrets: unknown = JSON.parse(process.env.SECRETS_FAKE_JSON ?? '{}');
  if (typeof secrets !== 'object' || secrets === null || Object.values(secrets).some((v) => typeof v !== 'string')) {
    throw new Error('SECRETS_FAKE_JSON must be a JSON object of secret name to SecretString.');
  }
  const fake = await startSecretsManagerFake({
    // A fixed default so a local .env can name it; 4584 stays clear of LocalStack's 4566.
    port: Number(process.env.SECRETS_FAKE_PORT ?? 4584),
    secrets: secrets as Record<string, string>,
  });
  console.log(`secrets-manager-fake listening on ${fake.endpoint}`);
  const stop = (): void => void fake.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
