import { Construct } from 'constructs';
import { ITEM_KEY_SCHEMA } from '#handler/src/key-schema';
import { checkTableName } from '#shared/rules';
import { Validator } from '#shared/validation';
import { DynamodbTable } from './toolchain';

/** What an environment may set about its table. */
export interface ItemsTableSettings {
  /**
   * Refuse deletion (and so replacement) of the table until this is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

export interface ItemsTableProps extends ItemsTableSettings {
  /** Table name, unique per account and region. */
  readonly tableName: string;
  /**
   * Tags on the table, on top of the provider's default tags.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const ITEMS_TABLE_DEFAULTS = { deletionProtection: true } as const;

/** Nothing to check in the settings (a boolean); kept so every part validates the same way. */
export function validateItemsTableSettings(_settings: ItemsTableSettings, _at: Validator): void {}

/**
 * The items table. Keys come from the handler's key schema so the infrastructure, the handler
 * and the local stack cannot disagree on them.
 */
export class ItemsTable extends Construct {
  readonly table: DynamodbTable;
  readonly tableName: string;
  readonly tableArn: string;
  /** The NEW_IMAGE stream, for consumers of item changes. */
  readonly streamArn: string;

  constructor(scope: Construct, id: string, props: ItemsTableProps) {
    super(scope, id);
    const validator = Validator.for('ItemsTable').check('tableName', props.tableName, checkTableName);
    validateItemsTableSettings(props, validator);
    validator.throwIfInvalid('ItemsTable props');
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
      deletionProtectionEnabled: props.deletionProtection ?? ITEMS_TABLE_DEFAULTS.deletionProtection,
      tags: props.tags,
    });
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.streamArn = this.table.streamArn;
  }
}
