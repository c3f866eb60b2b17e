import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ITEM_KEY_SCHEMA } from '#handler/src/key-schema';

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
  if (options.dataDir) await assertDataDirFree(options.dataDir);
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

/** dynalite's own LevelDB, whose LOCK file says whether another process has the folder open. */
const { Level } = createRequire(require.resolve('dynalite'))('level') as {
  Level: new (location: string) => { open(): Promise<void>; close(): Promise<void> };
};

/**
 * Throws one readable line when another process (another `npm start`) holds the data folder.
 * dynalite would otherwise start, fail to open its database, and crash with a raw stack trace on
 * the first request. LevelDB's lock is released by the OS when its process dies, so it is never stale.
 */
export async function assertDataDirFree(dataDir: string): Promise<void> {
  const db = new Level(dataDir);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new Error(
        `the data folder ${dataDir} is in use by another process (another npm start?); stop it or use another folder`,
      );
    }
    throw new Error(`cannot open the data folder ${dataDir}: ${cause?.message ?? String(error)}`);
  }
  await db.close();
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
  await waitUntilActive(client, tableName);
  return true;
}

/**
 * A new table answers ResourceNotFoundException until it is ACTIVE. dynalite flips the status
 * after createTableMs, but with a data folder the write that does it takes a moment longer.
 */
async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
