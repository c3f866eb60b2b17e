import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ITEM_KEY_SCHEMA } from '../../handler/src/key-schema';

/** dynalite checks the signature's shape, not the secret: any non-empty pair works. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

/** The environment a function needs to reach a local DynamoDB, as Lambda would set region and credentials. */
export function localFunctionEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  };
}

export interface LocalDynamo {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface LocalDynamoOptions {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir?: string;
  /** Serve HTTPS with this key and certificate (PEM), as the real endpoint does; plain HTTP without. */
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca: string };
}

/**
 * dynalite, a DynamoDB-API server on LevelDB: in memory unless `dataDir` is given. Tables become
 * ACTIVE at once instead of after dynalite's default half-second.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}) {
  const host = options.host ?? '127.0.0.1';
  const server = dynalite({
    path: options.dataDir,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.tls && { ssl: true, ...options.tls }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } satisfies LocalDynamo;
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

/** Creates the items table from the shared key schema; returns false when it already existed. */
export async function ensureItemsTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const { partitionKey, sortKey } = ITEM_KEY_SCHEMA;
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
        { AttributeName: sortKey.name, AttributeType: sortKey.type },
      ],
      KeySchema: [
        { AttributeName: partitionKey.name, KeyType: 'HASH' },
        { AttributeName: sortKey.name, KeyType: 'RANGE' },
      ],
    }),
  );
  return true;
}
