import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Item } from './item-json';
import { itemKey } from './key-schema';

export interface ItemsRepository {
  /** The stored item, or null when there is none. Rejects with the SDK's error, or AbortError. */
  getItem(id: string, signal: AbortSignal): Promise<Item | null>;
}

/** Only `send` is used, so tests can stub exactly that and assert the command it receives. */
export type DynamoSender = Pick<DynamoDBClient, 'send'>;

export function makeItemsRepository(deps: { client: DynamoSender; tableName: string }): ItemsRepository {
  const { client, tableName } = deps;
  return {
    async getItem(id, signal) {
      const command = new GetItemCommand({ TableName: tableName, Key: itemKey(id) });
      const output = await untilAborted(client.send(command, { abortSignal: signal }), signal);
      return output.Item ?? null;
    },
  };
}

/**
 * The SDK honours the abort signal only between steps (its retry back-off sleeps are not
 * interruptible), so the budget is enforced by racing the call against the signal.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(abortError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function abortError(): Error {
  const error = new Error('The DynamoDB time budget ran out');
  error.name = 'AbortError';
  return error;
}
