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

/**
 * The environment cdktf and Terraform run in against moto: the offline provider mirror, moto's
 * endpoint and credentials, no instance metadata, and the repository the bootstrap trusts.
 * `region` is the state bucket's; the environment stacks name their own in infra/config.ts.
 */
export function cdktfOnEmulatorEnv(options: {
  endpoint: string;
  cliConfig: string;
  region: string;
}): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TF_CLI_CONFIG_FILE: options.cliConfig,
    CHECKPOINT_DISABLE: '1',
    AWS_ENDPOINT_URL: options.endpoint,
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: options.region,
    GITHUB_OWNER: 'acme',
    GITHUB_REPO: 'item-api',
  };
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

/**
 * A request to the emulator for a service whose SDK client this project does not install
 * (Route 53 is not on the npm registry mirror used here). moto picks the service from the
 * credential scope and, with its IAM checks off, does not verify the signature.
 */
export async function emulatorRequest(
  endpoint: string,
  service: string,
  region: string,
  path: string,
  init: { method: string; body?: string; headers?: Record<string, string> },
): Promise<string> {
  const response = await fetch(`${endpoint}${path}`, {
    method: init.method,
    body: init.body,
    headers: {
      ...init.headers,
      Authorization: `AWS4-HMAC-SHA256 Credential=${EMULATOR_CREDENTIALS.accessKeyId}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${service} ${init.method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

/** A public hosted zone for `name`, as the custom domain's DNS; returns its id. */
export async function createHostedZone(endpoint: string, name: string): Promise<string> {
  const xml = await emulatorRequest(endpoint, 'route53', 'us-east-1', '/2013-04-01/hostedzone', {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml' },
    body: `<CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>${name}</Name><CallerReference>${name}-${Date.now()}</CallerReference></CreateHostedZoneRequest>`,
  });
  const id = /<Id>\/hostedzone\/([A-Z0-9]+)<\/Id>/.exec(xml)?.[1];
  if (id === undefined) throw new Error(`no hosted zone id in ${xml.slice(0, 300)}`);
  return id;
}

/** The A records of a zone as `name -> alias target`. */
export async function aliasRecords(endpoint: string, zoneId: string): Promise<Record<string, string>> {
  const xml = await emulatorRequest(
    endpoint,
    'route53',
    'us-east-1',
    `/2013-04-01/hostedzone/${zoneId}/rrset`,
    {
      method: 'GET',
    },
  );
  const records: Record<string, string> = {};
  for (const [, set = ''] of xml.matchAll(/<ResourceRecordSet>(.*?)<\/ResourceRecordSet>/gs)) {
    const name = /<Name>([^<]+)<\/Name>/.exec(set)?.[1];
    const target = /<AliasTarget>.*?<DNSName>([^<]+)<\/DNSName>/s.exec(set)?.[1];
    if (name && target && /<Type>A<\/Type>/.test(set))
      records[name.replace(/\.$/, '')] = target.replace(/\.$/, '');
  }
  return records;
}

/** An ACM certificate for `domainName` in `region` (moto issues it without validation). */
export async function requestCertificate(
  endpoint: string,
  region: string,
  domainName: string,
): Promise<string> {
  const text = await emulatorRequest(endpoint, 'acm', region, '/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'CertificateManager.RequestCertificate',
    },
    body: JSON.stringify({ DomainName: domainName, ValidationMethod: 'DNS' }),
  });
  return (JSON.parse(text) as { CertificateArn: string }).CertificateArn;
}
