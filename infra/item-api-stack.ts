import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { addStateBackend, type StateBackendConfig } from './backend';
import { type EnvironmentConfig, validateEnvironmentConfig } from './config';
import { ItemsApi } from './items-api';
import { requireTerraformVersion } from './terraform-settings';

export interface ItemApiStackProps {
  /** The environment: names, sizes, limits. Validated before anything is created. */
  readonly config: EnvironmentConfig;
  /** Where this stack's state lives. */
  readonly stateBackend: StateBackendConfig;
  /** Folder holding the built handler bundle (`index.mjs`). */
  readonly bundleDir: string;
}

/** One deployable environment: provider, state backend, the feature, and its outputs. */
export class ItemApiStack extends TerraformStack {
  readonly itemsApi: ItemsApi;

  constructor(scope: Construct, id: string, props: ItemApiStackProps) {
    super(scope, id);
    const config = validateEnvironmentConfig(props.config);

    const region = addStateBackend(this, id, config.region, props.stateBackend);
    // Region only: credentials come from the environment (OIDC in CI, a profile locally), never from code.
    new AwsProvider(this, 'aws', {
      region,
      defaultTags: [{ tags: { ...config.tags, Project: 'item-api', Environment: config.name } }],
    });
    requireTerraformVersion(this);

    this.itemsApi = new ItemsApi(this, 'items-api', {
      namePrefix: config.namePrefix,
      bundleDir: props.bundleDir,
      memoryMb: config.lambdaMemoryMb,
      timeoutSeconds: config.lambdaTimeoutSeconds,
      reservedConcurrency: config.reservedConcurrency,
      corsAllowOrigins: config.corsAllowOrigins,
      cacheControl: config.cacheControl,
      customDomain: config.customDomain,
      stageName: config.stageName,
      throttlingRateLimit: config.throttling.rateLimit,
      throttlingBurstLimit: config.throttling.burstLimit,
      logRetentionDays: config.logRetentionDays,
      deletionProtection: config.deletionProtection,
      alarmEmail: config.alarmEmail,
      latencyAlarmP99Ms: config.latencyAlarmP99Ms,
      wafWebAclArn: config.wafWebAclArn,
    });
    const { table, handler, api, alarms } = this.itemsApi;

    new TerraformOutput(this, 'api_url', {
      description:
        'Base URL of the API (the custom domain when one is set); GET <api_url>/<id> reads one item.',
      value: api.url,
    });
    if (api.customDomain !== undefined) {
      new TerraformOutput(this, 'regional_domain_name', {
        description: 'Target of the custom domain (a CNAME or alias), when the DNS zone is not in Route 53.',
        value: api.customDomain.domain.regionalDomainName,
      });
    }
    new TerraformOutput(this, 'table_name', {
      description: 'DynamoDB table holding the items; write items here.',
      value: table.table.name,
    });
    new TerraformOutput(this, 'table_stream_arn', {
      description: 'DynamoDB stream (NEW_IMAGE) of the table, for consumers of item changes.',
      value: table.table.streamArn,
    });
    new TerraformOutput(this, 'function_name', {
      description: 'Lambda function serving GET /{id}; its logs are in /aws/lambda/<function_name>.',
      value: handler.lambda.functionName,
    });
    if (alarms.topic !== undefined) {
      new TerraformOutput(this, 'alarm_topic_arn', {
        description: 'SNS topic every alarm notifies; subscribe more endpoints (chat, paging) to it.',
        value: alarms.topic.arn,
      });
    }
  }
}
