import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { itemKey } from './key-schema';
import {
  keepWireBody,
  parseGetItemBody,
  WIRE_BODY,
  type WireGetItemOutput,
  type WireItem,
} from './wire-item';

export interface ItemsRepository {
  /** The stored item as DynamoDB sent it, or null when there is none. Rejects with the SDK's error. */
  getItem(id: string): Promise<WireItem | null>;
}

/** Only `send` is used, so tests can stub exactly that and assert the command it receives. */
export type DynamoSender = Pick<DynamoDBClient, 'send'>;

export function createItemsRepository(deps: { client: DynamoSender; tableName: string }): ItemsRepository {
  const { client, tableName } = deps;
  return {
    async getItem(id) {
      const command = keepWireBody(new GetItemCommand({ TableName: tableName, Key: itemKey(id) }));
      const output: WireGetItemOutput = await client.send(command);
      return parseGetItemBody(output[WIRE_BODY]);
    },
  };
}
