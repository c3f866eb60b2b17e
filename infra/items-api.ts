import { Construct } from 'constructs';
import type { CachePolicy, CorsOrigins } from '../handler/src/response-policy';
import { ItemsApiAlarms } from './alarms';
import { GetItemFunction } from './get-item-function';
import { ItemsTable } from './items-table';
import type { CustomDomainSettings } from './limits';
import { RestApi } from './rest-api';

export interface ItemsApiProps {
  /** Prefix of every resource name, e.g. `item-api-dev`. */
  readonly namePrefix: string;
  /** Folder holding the built handler bundle (`index.mjs`). */
  readonly bundleDir: string;
  /**
   * Lambda memory in MB.
   * @default 512
   */
  readonly memoryMb?: number;
  /**
   * Lambda timeout in seconds.
   * @default 6
   */
  readonly timeoutSeconds?: number;
  /**
   * Lambda reserved concurrency.
   * @default - unreserved
   */
  readonly reservedConcurrency?: number;
  /**
   * Origins whose pages may read the API (`*` or a list).
   * @default - no CORS
   */
  readonly corsAllowOrigins?: CorsOrigins;
  /**
   * How long caches may keep an item.
   * @default - `no-cache`
   */
  readonly cacheControl?: CachePolicy;
  /**
   * A custom domain for the stage.
   * @default - the `execute-api` URL only
   */
  readonly customDomain?: CustomDomainSettings;
  /**
   * API stage name.
   * @default 'v1'
   */
  readonly stageName?: string;
  /**
   * API throttling rate (requests per second) for every method.
   * @default 100
   */
  readonly throttlingRateLimit?: number;
  /**
   * API throttling burst (requests) for every method.
   * @default 200
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Retention of the function and access log groups, in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Table deletion protection.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Email address notified of every alarm through an SNS topic.
   * @default - no topic; alarms only change state in CloudWatch
   */
  readonly alarmEmail?: string;
  /**
   * p99 API latency, in ms over 5 minutes, above which the latency alarm fires.
   * @default 1000
   */
  readonly latencyAlarmP99Ms?: number;
  /**
   * Regional AWS WAF web ACL associated with the API stage.
   * @default - no WAF
   */
  readonly wafWebAclArn?: string;
}

/** The whole feature, GET /{id} → Lambda → DynamoDB GetItem, wired from its three parts, and its alarms. */
export class ItemsApi extends Construct {
  readonly table: ItemsTable;
  readonly handler: GetItemFunction;
  readonly api: RestApi;
  readonly alarms: ItemsApiAlarms;

  constructor(scope: Construct, id: string, props: ItemsApiProps) {
    super(scope, id);
    this.table = new ItemsTable(this, 'items', {
      tableName: `${props.namePrefix}-items`,
      deletionProtection: props.deletionProtection,
    });
    this.handler = new GetItemFunction(this, 'get-item', {
      table: this.table,
      bundleDir: props.bundleDir,
      functionName: `${props.namePrefix}-get-item`,
      memoryMb: props.memoryMb,
      timeoutSeconds: props.timeoutSeconds,
      reservedConcurrency: props.reservedConcurrency,
      corsAllowOrigins: props.corsAllowOrigins,
      cacheControl: props.cacheControl,
      logRetentionDays: props.logRetentionDays,
    });
    this.api = new RestApi(this, 'api', {
      handler: this.handler,
      apiName: `${props.namePrefix}-api`,
      stageName: props.stageName,
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
      accessLogRetentionDays: props.logRetentionDays,
      wafWebAclArn: props.wafWebAclArn,
      corsAllowOrigins: props.corsAllowOrigins,
      customDomain: props.customDomain,
    });
    this.alarms = new ItemsApiAlarms(this, 'alarms', {
      namePrefix: props.namePrefix,
      api: this.api,
      handler: this.handler,
      table: this.table,
      latencyP99Ms: props.latencyAlarmP99Ms,
      alarmEmail: props.alarmEmail,
    });
  }
}
