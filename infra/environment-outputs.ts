import type { ItemsApi } from './items-api';

/**
 * The outputs of an environment stack, as data: the stack adds them, and the tests check the
 * Outputs table in docs/deploy.md against these descriptions, so the two cannot drift apart.
 */
export interface EnvironmentOutput {
  readonly name: string;
  readonly description: string;
  /** The value, or undefined when the output does not apply (an optional part is off). */
  readonly value: (feature: ItemsApi) => string | Readonly<Record<string, string>> | undefined;
}

export const ENVIRONMENT_OUTPUTS: readonly EnvironmentOutput[] = [
  {
    name: 'api_url',
    description:
      'Base URL of the API (the custom domain when one is set); GET <api_url>/<id> reads one item.',
    value: ({ api }) => api.url,
  },
  {
    name: 'execute_api_url',
    description:
      "The stage's own execute-api URL; with a custom domain whose disableDefaultEndpoint is on, it answers 403 (the smoke test checks that).",
    value: ({ api }) => api.invokeUrl,
  },
  {
    name: 'regional_domain_name',
    description: 'Target of the custom domain (a CNAME or alias), when the DNS zone is not in Route 53.',
    value: ({ api }) => api.customDomain?.domain.regionalDomainName,
  },
  {
    name: 'table_name',
    description: 'DynamoDB table holding the items; write items here.',
    value: ({ table }) => table.tableName,
  },
  {
    name: 'table_stream_arn',
    description: 'DynamoDB stream (NEW_IMAGE) of the table, for consumers of item changes.',
    value: ({ table }) => table.streamArn,
  },
  {
    name: 'function_name',
    description: 'Lambda function serving GET /{id}; its logs are in /aws/lambda/<function_name>.',
    value: ({ handler }) => handler.functionName,
  },
  {
    name: 'api_key_ids',
    description: "In api-key mode, each consumer's API key id (never its value); see docs/access.md.",
    value: ({ api }) => api.usagePlans?.keyIds,
  },
  {
    name: 'alarm_topic_arn',
    description: 'SNS topic every alarm notifies; subscribe more endpoints (chat, paging) to it.',
    value: ({ alarms }) => alarms.topic?.arn,
  },
];
