import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { Item } from './item-json';
import { itemKey } from './key-schema';

export interface ItemsRepository {
  /** The stored item, or null when there is none. Rejects with the SDK's error. */
  getItem(id: string): Promise<Item | null>;
}

/** Only `send` is used, so tests can stub exactly that and assert the command it receives. */
export type DynamoSender = Pick<DynamoDBClient, 'send'>;

export function makeItemsRepository(deps: { client: DynamoSender; tableName: string }): ItemsRepository {
  const { client, tableName } = deps;
  return {
    async getItem(id) {
      const output = await client.send(new GetItemCommand({ TableName: tableName, Key: itemKey(id) }));
      return output.Item ?? null;
    },
  };
}
