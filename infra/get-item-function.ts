import { existsSync } from 'node:fs';
import path from 'node:path';
import { Construct } from 'constructs';
import { BUNDLE_ENTRY_FILE, LAMBDA_HANDLER } from '#handler/bundle';
import { functionEnvironment } from '#handler/src/config';
import {
  type CachePolicy,
  type CorsOrigins,
  checkCachePolicy,
  checkCorsOrigins,
  itemCacheControl,
} from '#shared/response-policy';
import {
  checkFunctionName,
  checkLogRetentionDays,
  checkMemoryMb,
  checkReservedConcurrency,
  checkTimeoutSeconds,
  DEFAULT_LOG_RETENTION_DAYS,
} from '#shared/rules';
import { LANE } from '#shared/toolchain';
import { Validator } from '#shared/validation';
import type { ItemsTable } from './items-table';
import {
  AssetType,
  CloudwatchLogGroup,
  IamRole,
  IamRolePolicy,
  LambdaFunction,
  TerraformAsset,
} from './toolchain';

/** What an environment may set about its function. */
export interface GetItemFunctionSettings {
  /**
   * Memory in MB; CPU comes in proportion (bench/README.md).
   * @default 512
   */
  readonly memoryMb?: number;
  /**
   * Timeout in seconds; above the handler's DynamoDB time budget so the handler, not Lambda,
   * decides what a slow DynamoDB looks like to the client.
   * @default 6
   */
  readonly timeoutSeconds?: number;
  /**
   * Reserved concurrency. Off by default: a reservation caps the function, so overload becomes
   * throttles (500s through API Gateway) rather than borrowing from the account pool, and the
   * deploy fails on accounts that cannot keep 100 unreserved (new accounts may have 10).
   * @default - unreserved
   */
  readonly reservedConcurrency?: number;
  /**
   * How long caches may keep an item (`CACHE_CONTROL`); errors are always `no-store`.
   * @default - the handler's `no-cache`
   */
  readonly cacheControl?: CachePolicy;
}

export interface GetItemFunctionProps extends GetItemFunctionSettings {
  /** The table the function reads; it gets `dynamodb:GetItem` on this table only. */
  readonly table: ItemsTable;
  /** Folder holding the built bundle (`index.mjs`), zipped as the function's code. */
  readonly bundleDir: string;
  /** Function name; also names its role and log group. */
  readonly functionName: string;
  /**
   * Retention of the function's log group, in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Origins whose pages may read responses (`CORS_ALLOW_ORIGIN`).
   * @default - no CORS headers
   */
  readonly corsAllowOrigins?: CorsOrigins;
  /**
   * Tags on the function, role and log group, on top of the provider's default tags.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const GET_ITEM_FUNCTION_DEFAULTS = {
  // Chosen with `npm run bench`: the knee of cold start and p99 against cost (docs/performance.md).
  memoryMb: 512,
  timeoutSeconds: 6,
  logRetentionDays: DEFAULT_LOG_RETENTION_DAYS,
} as const;

export function validateGetItemFunctionSettings(settings: GetItemFunctionSettings, at: Validator): void {
  at.check('memoryMb', settings.memoryMb, checkMemoryMb)
    .check('timeoutSeconds', settings.timeoutSeconds, checkTimeoutSeconds)
    .check('reservedConcurrency', settings.reservedConcurrency, checkReservedConcurrency)
    .check('cacheControl', settings.cacheControl, checkCachePolicy);
}

/** The function's environment variables, as deployed: the handler reads them back with `loadConfig`. */
export function getItemFunctionEnvironment(
  tableName: string,
  settings: Pick<GetItemFunctionProps, 'corsAllowOrigins' | 'cacheControl'>,
): Record<string, string> {
  return functionEnvironment({
    tableName,
    corsOrigins: settings.corsAllowOrigins,
    itemCacheControl: settings.cacheControl && itemCacheControl(settings.cacheControl),
  });
}

/** The GET /{id} Lambda: its code, its own log group, and a role allowed exactly what it does. */
export class GetItemFunction extends Construct {
  readonly lambda: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** The timeout as a number (the resource's own attribute is a token), for alarms on duration. */
  readonly timeoutSeconds: number;
  /**
   * The function's name as configured, known at synth time. The API builds its integration URI
   * from it instead of from the resource's attributes, so that the API deployment, which must be
   * created before the old one is destroyed, does not depend on the function (see RestApi).
   */
  readonly name: string;
  /** The function's name as the deployed resource reports it (a reference, for dependents). */
  readonly functionName: string;

  readonly functionArn: string;

  constructor(scope: Construct, id: string, props: GetItemFunctionProps) {
    super(scope, id);
    validate(props);
    const memoryMb = props.memoryMb ?? GET_ITEM_FUNCTION_DEFAULTS.memoryMb;
    const timeoutSeconds = props.timeoutSeconds ?? GET_ITEM_FUNCTION_DEFAULTS.timeoutSeconds;
    this.timeoutSeconds = timeoutSeconds;
    this.name = props.functionName;
    const tags = props.tags;

    // Created here rather than by Lambda on first invoke, so it has a retention and is deleted with the stack.
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? GET_ITEM_FUNCTION_DEFAULTS.logRetentionDays,
      tags,
    });

    this.role = new IamRole(this, 'role', {
      name: `${props.functionName}-role`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
      tags,
    });

    // Inline and hand-written instead of AWSLambdaBasicExecutionRole, which allows logs:* on *.
    const policy = new IamRolePolicy(this, 'policy', {
      name: 'get-item',
      role: this.role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadItems',
            Effect: 'Allow',
            Action: ['dynamodb:GetItem'],
            Resource: [props.table.tableArn],
          },
          {
            Sid: 'WriteOwnLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: [`${this.logGroup.arn}:*`],
          },
          {
            // The only wildcard: X-Ray's write actions have no resource-level permissions.
            Sid: 'WriteTraces',
            Effect: 'Allow',
            Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
            Resource: ['*'],
          },
        ],
      }),
    });

    const code = new TerraformAsset(this, 'code', { path: props.bundleDir, type: AssetType.ARCHIVE });

    this.lambda = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      role: this.role.arn,
      runtime: LANE.lambdaRuntime,
      architectures: ['arm64'],
      handler: LAMBDA_HANDLER,
      filename: code.path,
      // A hash of the bundle's content, not of the zip: the zip embeds file times, so hashing it
      // would redeploy after every rebuild. Provider 5.x treats this purely as a change trigger.
      sourceCodeHash: code.assetHash,
      memorySize: memoryMb,
      timeout: timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: { variables: getItemFunctionEnvironment(props.table.tableName, props) },
      tracingConfig: { mode: 'Active' },
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      tags,
      // The first invocation must find its log group and permissions in place.
      dependsOn: [this.logGroup, policy],
    });
    this.functionName = this.lambda.functionName;
    this.functionArn = this.lambda.arn;
  }
}

function validate(props: GetItemFunctionProps): void {
  const validator = Validator.for('GetItemFunction')
    .check('functionName', props.functionName, checkFunctionName)
    .check('logRetentionDays', props.logRetentionDays, checkLogRetentionDays)
    .check('corsAllowOrigins', props.corsAllowOrigins, checkCorsOrigins);
  validateGetItemFunctionSettings(props, validator);
  const entry = path.join(props.bundleDir, BUNDLE_ENTRY_FILE);
  if (!existsSync(entry)) {
    validator.report(
      'bundleDir',
      `has no ${BUNDLE_ENTRY_FILE} (looked for ${entry}). Run \`npm run build\` first; \`npm run synth\` does it for you.`,
    );
  }
  validator.throwIfInvalid('GetItemFunction props');
}
