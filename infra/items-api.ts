import { Construct } from 'constructs';
import { type CorsOrigins, checkCorsOrigins } from '#shared/response-policy';
import { checkLambdaEnvironment, checkLogRetentionDays } from '#shared/rules';
import type { Validator } from '#shared/validation';
import { ItemsApiAlarms, type ItemsApiAlarmsSettings, validateItemsApiAlarmsSettings } from './alarms';
import {
  GetItemFunction,
  type GetItemFunctionSettings,
  getItemFunctionEnvironment,
  validateGetItemFunctionSettings,
} from './get-item-function';
import { ItemsTable, type ItemsTableSettings, validateItemsTableSettings } from './items-table';
import { RestApi, type RestApiSettings, validateRestApiSettings } from './rest-api';

/** What an environment may set about the feature: one group per part, plus what spans parts. */
export interface ItemsApiSettings {
  /**
   * Retention of the function's and the API's log groups, in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Origins whose pages may read the API, `'*'` or a list: the function's CORS headers and the
   * API's preflight and gateway errors.
   * @default - no CORS
   */
  readonly corsAllowOrigins?: CorsOrigins;
  readonly table?: ItemsTableSettings;
  readonly fn?: GetItemFunctionSettings;
  readonly api?: RestApiSettings;
  readonly alarms?: ItemsApiAlarmsSettings;
}

export interface ItemsApiProps extends ItemsApiSettings {
  /** Prefix of every resource name, e.g. `item-api-dev`. */
  readonly namePrefix: string;
  /** Folder holding the built handler bundle (`index.mjs`). */
  readonly bundleDir: string;
}

/** The names of the feature's resources, all built on the environment's prefix. */
export function itemsApiNames(namePrefix: string) {
  return {
    tableName: `${namePrefix}-items`,
    functionName: `${namePrefix}-get-item`,
    apiName: `${namePrefix}-api`,
  } as const;
}

/**
 * Every setting of the feature, each problem at its path. `region` is the stack's, for the
 * domain's certificate and the WAF; with `namePrefix`, the function's environment is held to
 * Lambda's 4 KB (the origin list is what can grow past it).
 */
export function validateItemsApiSettings(
  settings: ItemsApiSettings,
  at: Validator,
  region?: string,
  namePrefix?: string,
): void {
  at.check('logRetentionDays', settings.logRetentionDays, checkLogRetentionDays).check(
    'corsAllowOrigins',
    settings.corsAllowOrigins,
    checkCorsOrigins,
  );
  if (namePrefix !== undefined) {
    const variables = getItemFunctionEnvironment(itemsApiNames(namePrefix).tableName, {
      corsAllowOrigins: settings.corsAllowOrigins,
      cacheControl: settings.fn?.cacheControl,
    });
    at.report('corsAllowOrigins', checkLambdaEnvironment(variables));
  }
  validateItemsTableSettings(settings.table ?? {}, at.at('table'));
  validateGetItemFunctionSettings(settings.fn ?? {}, at.at('fn'));
  validateRestApiSettings(settings.api ?? {}, at.at('api'), region);
  validateItemsApiAlarmsSettings(settings.alarms ?? {}, at.at('alarms'));
}

/** The whole feature, GET /{id} → Lambda → DynamoDB GetItem, wired from its three parts, and its alarms. */
export class ItemsApi extends Construct {
  readonly table: ItemsTable;
  readonly handler: GetItemFunction;
  readonly api: RestApi;
  readonly alarms: ItemsApiAlarms;

  constructor(scope: Construct, id: string, props: ItemsApiProps) {
    super(scope, id);
    const { namePrefix, logRetentionDays, corsAllowOrigins } = props;
    const names = itemsApiNames(namePrefix);
    this.table = new ItemsTable(this, 'items', { ...props.table, tableName: names.tableName });
    this.handler = new GetItemFunction(this, 'get-item', {
      ...props.fn,
      table: this.table,
      bundleDir: props.bundleDir,
      functionName: names.functionName,
      logRetentionDays,
      corsAllowOrigins,
    });
    this.api = new RestApi(this, 'api', {
      ...props.api,
      handler: this.handler,
      apiName: names.apiName,
      accessLogRetentionDays: logRetentionDays,
      corsAllowOrigins,
    });
    this.alarms = new ItemsApiAlarms(this, 'alarms', {
      ...props.alarms,
      namePrefix,
      api: this.api,
      handler: this.handler,
      table: this.table,
    });
  }
}
