// The fake is only worth having if the real SDK client cannot tell it from AWS, so every test here
// goes through `@aws-sdk/client-secrets-manager` over HTTP.
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSecretsManagerFake, type SecretsManagerFake } from '../../../../infra/local/secrets-manager-fake.js';

const DB_SECRET = 'signal-harvester/test/db';

describe('the Secrets Manager fake', () => {
  let fake: SecretsManagerFake;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    fake = await startSecretsManagerFake({
      secrets: { [DB_SECRET]: JSON.stringify({ username: 'harvester', password: 'first' }) },
    });
    client = new SecretsManagerClient({
      endpoint: fake.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });

  afterAll(async () => {
    client.destroy();
    await fake.close();
  });

  it('returns a JSON secret string with its metadata to the real SDK client', async () => {
    // Act
    const output = await client.send(new GetSecretValueCommand({ SecretId: DB_SECRET }));

    // Assess
    expect(JSON.parse(output.SecretString ?? '')).toEqual({ username: 'harvester', password: 'first' });
    expect(output.Name).toBe(DB_SECRET);
    expect(output.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:/);
    expect(output.VersionStages).toEqual(['AWSCURRENT']);
    expect(output.CreatedDate).toBeInstanceOf(Date);
  });

  it('finds a secret by the ARN it reported', async () => {
    // Prepare
    const { ARN } = await client.send(new GetSecretValueCommand({ SecretId: DB_SECRET }));

    // Act
    const output = await client.send(new GetSecretValueCommand({ SecretId: ARN }));

    // Assess
    expect(output.Name).toBe(DB_SECRET);
  });

  it('surfaces an unknown secret as the SDK ResourceNotFoundException', async () => {
    // Act
    const error: unknown = await client
      .send(new GetSecretValueCommand({ SecretId: 'signal-harvester/test/missing' }))
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toBeInstanceOf(SecretsManagerServiceException);
    expect(error).toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers with the new value after a rotation and keeps the old one as AWSPREVIOUS', async () => {
    // Prepare
    const secretId = `signal-harvester/test/rotation-${Math.random().toString(36).slice(2)}`;
    fake.setSecret(secretId, 'old');
    const before = await client.send(new GetSecretValueCommand({ SecretId: secretId }));

    // Act
    fake.setSecret(secretId, 'new');
    const current = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    const previous = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSPREVIOUS' }));

    // Assess
    expect(current.SecretString).toBe('new');
    expect(current.VersionId).not.toBe(before.VersionId);
    expect(previous.SecretString).toBe('old');
    expect(previous.VersionId).toBe(before.VersionId);
  });

  it('forgets a deleted secret', async () => {
    // Prepare
    const secretId = `signal-harvester/test/deleted-${Math.random().toString(36).slice(2)}`;
    fake.setSecret(secretId, 'short-lived');

    // Act
    fake.deleteSecret(secretId);

    // Assess
    await expect(client.send(new GetSecretValueCommand({ SecretId: secretId }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('counts every request it receives, failed ones included', async () => {
    // Prepare
    const before = fake.calls;

    // Act
    await client.send(new GetSecretValueCommand({ SecretId: DB_SECRET }));
    await client.send(new GetSecretValueCommand({ SecretId: 'signal-harvester/test/missing' })).catch(() => undefined);

    // Assess
    expect(fake.calls).toBe(before + 2);
  });

  it('rejects an unsigned request as AWS does', async () => {
    // Act
    const response = await fetch(fake.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: DB_SECRET }),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });

  it('rejects an operation it does not implement', async () => {
    // Act
    const response = await fetch(fake.endpoint, {
      method: 'POST',
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/secretsmanager/aws4_request',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.ListSecrets',
      },
      body: '{}',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await response.json()).toEqual({ __type: 'UnknownOperationException' });
  });
});
