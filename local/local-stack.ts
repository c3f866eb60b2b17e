import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HANDLER_BUNDLE } from '#handler/bundle';
import { type CorsOrigins, formatCorsOrigins } from '#shared/response-policy';
import type { LocalAccess } from './access-gate';
import { ensureItemsTable, localClient, localFunctionEnv, startLocalDynamo } from './local-dynamodb';
import { LocalFunction } from './local-function';
import { type AccessLogEntry, createRestApiEmulator } from './rest-api-emulator';
import { seedFromFile } from './seed-items';

/** The items `npm start` seeds a new table with; the tests read the same file. */
export const SAMPLE_ITEMS_FILE = path.join(__dirname, '..', 'test', 'fixtures', 'items.json');

export interface LocalStackOptions {
  /** @default 3000 (0 picks a free port) */
  readonly port?: number;
  /** @default 8000 (0 picks a free port) */
  readonly dynamoPort?: number;
  /** @default 'items' */
  readonly tableName?: string;
  /** Persist DynamoDB data in this folder. @default in memory */
  readonly dataDir?: string;
  /** Items to load when the table is created. @default none */
  readonly seedFile?: string;
  /** @default the production bundle in dist/handler */
  readonly bundle?: string;
  /**
   * Origins allowed to read the API, as `corsAllowOrigins` in infra/config.ts: the function's
   * CORS_ALLOW_ORIGIN, and the gateway's preflight and error headers. @default no CORS
   */
  readonly corsAllowOrigins?: CorsOrigins;
  /** The function's CACHE_CONTROL, as infra renders it. @default unset: the handler's `no-cache` */
  readonly cacheControl?: string;
  /** Who may call, as `api.access` in infra/config.ts (local/access-gate.ts). @default public */
  readonly access?: LocalAccess;
  /** One entry per request the gateway answered, like the stage's access log. @default none */
  readonly onAccess?: (entry: AccessLogEntry) => void;
  /** @default logs are kept in memory only */
  readonly onFunctionLog?: (line: string) => void;
  /** Lines from the stack itself: the gateway's own answers, function restarts. @default console.error */
  readonly onStackLog?: (line: string) => void;
}

export interface LocalStack {
  readonly apiUrl: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** The function, restarted when its process dies. */
  readonly lambda: LocalFunction;
  stop(): Promise<void>;
}

/**
 * dynalite + the built handler in a Node 22 process + an API Gateway REST emulator in front:
 * the whole request path on one machine, with no AWS account and no Docker.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const tableName = options.tableName ?? 'items';
  const dynamo = await startLocalDynamo({ port: options.dynamoPort ?? 8000, dataDir: options.dataDir });
  const cleanups: (() => Promise<void>)[] = [() => dynamo.close()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    const client = localClient(dynamo.endpoint);
    const created = await ensureItemsTable(client, tableName);
    if (created && options.seedFile) await seedFromFile(client, tableName, options.seedFile);
    client.destroy();

    const lambda = await LocalFunction.start({
      bundle: options.bundle ?? HANDLER_BUNDLE,
      env: {
        TABLE_NAME: tableName,
        ...localFunctionEnv(dynamo.endpoint),
        ...(options.corsAllowOrigins && { CORS_ALLOW_ORIGIN: formatCorsOrigins(options.corsAllowOrigins) }),
        ...(options.cacheControl && { CACHE_CONTROL: options.cacheControl }),
      },
      onLog: options.onFunctionLog,
      log: options.onStackLog,
    });
    cleanups.push(() => lambda.stop());

    const server = createRestApiEmulator((event) => lambda.invoke(event), {
      log: options.onStackLog,
      corsOrigins: options.corsAllowOrigins,
      onAccess: options.onAccess,
      access: options.access,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, '127.0.0.1', () => resolve());
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    return { apiUrl: `http://127.0.0.1:${port}`, dynamoEndpoint: dynamo.endpoint, tableName, lambda, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
