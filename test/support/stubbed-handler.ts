import type { APIGatewayProxyEvent } from 'aws-lambda';
import sinon from 'sinon';
import type { ResponseSettings } from '#handler/src/config';
import { createGetItemHandler } from '#handler/src/get-item-handler';
import { createItemsRepository, type DynamoSender } from '#handler/src/items-repository';
import { lambdaContext } from './events';
import { recordingLogger } from './recording-logger';
import { missingOutput } from './wire';

export interface StubbedHandlerOptions {
  tableName?: string;
  responses?: ResponseSettings;
  timeBudgetMs?: number;
  clock?: () => number;
}

/** The real handler and repository over a sinon-stubbed DynamoDB client; the stub answers a miss until told otherwise. */
export function stubbedHandler(options: StubbedHandlerOptions = {}) {
  const send = sinon.stub<Parameters<DynamoSender['send']>, Promise<unknown>>();
  send.resolves(missingOutput());
  const logger = recordingLogger();
  const handler = createGetItemHandler({
    repository: createItemsRepository({
      client: { send } as unknown as DynamoSender,
      tableName: options.tableName ?? 't',
    }),
    logger,
    clock: options.clock ?? (() => 0),
    responses: options.responses,
    timeBudgetMs: options.timeBudgetMs ?? 1000,
  });
  return { send, logger, handler, invoke: (event: APIGatewayProxyEvent) => handler(event, lambdaContext()) };
}
