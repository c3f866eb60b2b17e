import type { Agent } from 'node:https';
import { isDeepStrictEqual } from 'node:util';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ensureItemsTable, LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/local-dynamodb';
import { buildRestProxyEvent } from '#local/rest-proxy-event';

export const BENCH_TABLE = 'items-bench';
export const BENCH_ID = 'bench-item';
export const MISSING_ID = 'no-such-item';

/** A small item of the usual types; numbers stay within a double so every client renders them alike. */
export const BENCH_ITEM = {
  pk: BENCH_ID,
  sk: BENCH_ID,
  name: 'Benchmark item',
  count: 42,
  price: 19.99,
  active: true,
  retiredAt: null,
  tags: ['bench', 'cold-start', 'dynamodb'],
  owner: { name: 'Ada', languages: ['en', 'fr'] },
} as const;

/** A GET as API Gateway REST sends it from a browser-ish client. */
export function benchEvent(id: string): APIGatewayProxyEvent {
  return buildRestProxyEvent({
    method: 'GET',
    path: `/${encodeURIComponent(id)}`,
    rawId: encodeURIComponent(id),
    stage: 'prod',
    headers: [
      ['Accept', 'application/json'],
      ['Host', 'abc123.execute-api.us-east-1.amazonaws.com'],
      ['User-Agent', 'item-api-bench'],
      ['X-Forwarded-For', '198.51.100.7'],
      ['X-Forwarded-Proto', 'https'],
    ],
  });
}

/** Seeds through an agent that trusts the run's CA: this process started before the CA existed. */
export async function seedBenchTable(endpoint: string, httpsAgent: Agent): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: { httpsAgent },
  });
  try {
    await ensureItemsTable(client, BENCH_TABLE);
    await client.send(new PutItemCommand({ TableName: BENCH_TABLE, Item: marshall(BENCH_ITEM) }));
  } finally {
    client.destroy();
  }
}

interface ProxyResponse {
  statusCode?: number;
  body?: string;
}

/** Throws unless the response is the 200 with the bench item: a benchmark of a broken variant is worthless. */
export function assertItemResponse(label: string, response: ProxyResponse | undefined): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response?.body ?? '');
  } catch {
    parsed = undefined;
  }
  if (response?.statusCode !== 200 || !isDeepStrictEqual(parsed, BENCH_ITEM)) {
    throw new Error(`${label}: expected 200 with the bench item, got ${JSON.stringify(response)}`);
  }
}

/** What the warm child is told: the events, the table, the item and where DynamoDB answers. */
export function warmChildConfig(endpoint: string): Record<string, unknown> {
  return {
    event: benchEvent(BENCH_ID),
    missingEvent: benchEvent(MISSING_ID),
    tableName: BENCH_TABLE,
    id: BENCH_ID,
    endpoint,
    region: LOCAL_REGION,
  };
}
