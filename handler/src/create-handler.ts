import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type HandlerConfig, loadConfig } from './config';
import { ConfigError, InternalError } from './errors';
import { createGetItemHandler, type ProxyHandler } from './get-item-handler';
import { createItemsRepository, type ItemsRepository } from './items-repository';
import { createJsonLogger, type Logger } from './logger';
import type { PrimeTargets } from './prime';

export interface Runtime {
  readonly logger: Logger;
  readonly clock: () => number;
  readonly createClient: (config: HandlerConfig) => Pick<DynamoDBClient, 'send'>;
}

export const defaultRuntime: Runtime = {
  logger: createJsonLogger(),
  clock: () => performance.now(),
  createClient: createDynamoClient,
};

/** One client per container: it keeps its TLS connections alive across invocations. */
export function createDynamoClient(config: HandlerConfig): DynamoDBClient {
  const { limits } = config;
  return new DynamoDBClient({
    region: config.region,
    endpoint: config.endpoint,
    maxAttempts: limits.maxAttempts,
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without it @smithy/node-http-handler 4.x only warns when requestTimeout passes: a stalled
      // attempt would hold the whole time budget and never be retried.
      throwOnRequestTimeout: true,
    },
  });
}

/**
 * Wires the real dependencies from the environment, once per container. A bad configuration does
 * not throw at init (Lambda would retry init on every request, a crash loop): it logs once and
 * answers every request with a 500 JSON error.
 */
export function createHandlerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  runtime: Runtime = defaultRuntime,
): ProxyHandler {
  return wireHandlerFromEnv(env, runtime).handler;
}

/**
 * The handler, and what priming at init (prime.ts) warms: the same client, and the same handler
 * with another logger. Without a valid configuration there is nothing to prime.
 */
export function wireHandlerFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  runtime: Runtime = defaultRuntime,
): { handler: ProxyHandler; primeTargets?: PrimeTargets } {
  let config: HandlerConfig;
  let client: ReturnType<Runtime['createClient']>;
  let repository: ItemsRepository;
  try {
    config = loadConfig(env);
    client = runtime.createClient(config);
    repository = createItemsRepository({ client, tableName: config.tableName });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    runtime.logger.log('ERROR', 'invalid configuration', {
      variable: error.variable,
      errorDetail: error.message,
    });
    return {
      handler: createGetItemHandler({
        ...runtime,
        repository: unavailableRepository(error),
        timeBudgetMs: 0,
      }),
    };
  }
  const deps = {
    ...runtime,
    repository,
    responses: config.responses,
    timeBudgetMs: config.limits.timeBudgetMs,
  };
  return {
    handler: createGetItemHandler(deps),
    primeTargets: {
      client,
      handlerWith: (logger: Logger) => createGetItemHandler({ ...deps, logger }),
      logger: runtime.logger,
    },
  };
}

/** Stands in when configuration is invalid, so every read fails as a logged 500. */
function unavailableRepository(cause: ConfigError): ItemsRepository {
  return { getItem: () => Promise.reject(new InternalError('Invalid configuration', { cause })) };
}
