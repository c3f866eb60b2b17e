import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { WAFV2Client } from '@aws-sdk/client-wafv2';

/** moto accepts any key; these make it plain in every log that nothing real is used. */
export const EMULATOR_CREDENTIALS = {
  accessKeyId: 'emulated-not-a-key',
  secretAccessKey: 'emulated-not-a-secret',
};

/**
 * A Terraform CLI configuration that installs hashicorp/aws from the offline mirror only, so a
 * plain `terraform init` (and so `cdktf deploy`) needs no registry.
 */
export function writeTerraformCliConfig(pluginDir: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'item-api-tfrc-')), 'terraformrc');
  writeFileSync(
    file,
    `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(pluginDir)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`,
  );
  return file;
}

export const EMULATOR_OVERRIDE_FILE = 'zz_emulator_override.tf.json';

/**
 * The one setting the emulator needs that AWS does not: path-style S3 URLs, because
 * `<bucket>.127.0.0.1` does not resolve. For the provider (the bootstrap's bucket) and for the S3
 * backend, whose block an override replaces whole, so it is copied with the flag added.
 */
export function writeEmulatorOverride(stackDir: string): void {
  const config = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    terraform: { backend?: Record<string, Record<string, unknown>> };
    resource?: Record<string, unknown>;
  };
  const s3Backend = config.terraform.backend?.s3;
  const override = {
    '//': 'Emulated deploy test only: moto serves S3 on one loopback address.',
    provider: { aws: [{ s3_use_path_style: true }] },
    ...(s3Backend && { terraform: { backend: { s3: { ...s3Backend, use_path_style: true } } } }),
  };
  writeFileSync(path.join(stackDir, EMULATOR_OVERRIDE_FILE), `${JSON.stringify(override, null, 2)}\n`);
}

/** SDK clients pointed at the emulator, to see what a deploy really created. */
export function emulatorClients(endpoint: string, region: string) {
  const options = { endpoint, region, credentials: EMULATOR_CREDENTIALS };
  return {
    apigateway: new APIGatewayClient(options),
    cloudwatch: new CloudWatchClient(options),
    dynamodb: new DynamoDBClient(options),
    iam: new IAMClient(options),
    lambda: new LambdaClient(options),
    logs: new CloudWatchLogsClient(options),
    s3: new S3Client({ ...options, forcePathStyle: true }),
    sns: new SNSClient(options),
    wafv2: new WAFV2Client(options),
  };
}

export type EmulatorClients = ReturnType<typeof emulatorClients>;
