import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { Construct } from 'constructs';
import { ITEM_KEY_SCHEMA } from '../handler/src/key-schema';

export interface ItemsTableProps {
  /** Table name, unique per account and region. */
  readonly tableName: string;
  /**
   * Refuse deletion (and so replacement) of the table until this is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Tags on the table, on top of the provider's default tags.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The items table. Keys come from the handler's key schema so the infrastructure, the handler
 * and the local stack cannot disagree on them.
 */
export class ItemsTable extends Construct {
  readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: ItemsTableProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_.-]{3,255}$/.test(props.tableName)) {
      throw new Error(
        `ItemsTable.tableName must be 3-255 characters of A-Z, a-z, 0-9, "_", "-" or ".", got ${JSON.stringify(props.tableName)}`,
      );
    }
    const { partitionKey, sortKey } = ITEM_KEY_SCHEMA;

    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      // Reads are sporadic and unpredictable; on-demand costs nothing when idle and needs no tuning.
      billingMode: 'PAY_PER_REQUEST',
      hashKey: partitionKey.name,
      rangeKey: sortKey.name,
      attribute: [
        { name: partitionKey.name, type: partitionKey.type },
        { name: sortKey.name, type: sortKey.type },
      ],
      // Consumers (search indexing, caches) follow item changes without scanning the table.
      streamEnabled: true,
      streamViewType: 'NEW_IMAGE',
      pointInTimeRecovery: { enabled: true },
      // A KMS key (AWS managed) rather than the default AWS owned key, so access to the data is
      // also visible and controllable through KMS.
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: props.deletionProtection ?? true,
      tags: props.tags,
    });
  }
}
