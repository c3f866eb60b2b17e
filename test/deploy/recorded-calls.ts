import { readFileSync } from 'node:fs';
import type { AuthorizationRequest } from './iam-evaluator';

/**
 * The AWS API calls Terraform made, read from its JSON log (`TF_LOG=JSON`): the AWS provider and
 * the S3 backend log every request they send ("HTTP Request Sent") with service, operation, URL and
 * body. Each call is then turned into the authorizations IAM would check for it, so the CI roles'
 * policies can be judged against what a deploy really does.
 */
export interface RecordedCall {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly method: string;
  /** Path and query of the request URL. */
  readonly path: string;
  readonly body: string;
}

type LogEntry = Record<string, unknown>;

/** Terraform relays a provider's log line longer than its reader's buffer as pieces of exactly this length, then the rest. */
export const RELAYED_PIECE_LENGTH = 65_536;

/** A piece of such a line: relayed as raw text, so it has none of the fields a parsed entry has (`@caller`...). */
function isRelayedPiece(entry: LogEntry): boolean {
  return Object.keys(entry).every((key) => ['@level', '@message', '@module', '@timestamp'].includes(key));
}

/**
 * Terraform relays each provider log line as one entry, but splits a line too long for its reader
 * (a CreateFunction body holds the whole zip) into several entries whose messages must be joined.
 * Terraform's own entries, and other providers', can come between two pieces, so only pieces of the
 * same module are joined, and a line ends with its first short piece. A line that cannot be read
 * stops the run: a call lost here would be a call the policies are never judged against.
 */
function logEntries(text: string): LogEntry[] {
  const entries: LogEntry[] = [];
  const unfinished = new Map<string, string>();
  text.split('\n').forEach((line, index) => {
    if (!line.startsWith('{')) return;
    const entry = parseLogLine(line, `line ${index + 1}`);
    const message = typeof entry['@message'] === 'string' ? entry['@message'] : '';
    const module = String(entry['@module'] ?? '');
    const sofar = unfinished.get(module);
    const continues = isRelayedPiece(entry) && (sofar !== undefined || message.startsWith('{"@'));
    if (!continues) {
      entries.push(entry);
      return;
    }
    const joined = (sofar ?? '') + message;
    if (message.length === RELAYED_PIECE_LENGTH) {
      unfinished.set(module, joined);
      return;
    }
    unfinished.delete(module);
    entries.push(parseLogLine(joined, `the long line of ${module} ending at line ${index + 1}`));
  });
  const [cutOff] = unfinished.keys();
  if (cutOff !== undefined) throw new Error(`Terraform's log ends inside a long line of ${cutOff}`);
  return entries;
}

function parseLogLine(text: string, where: string): LogEntry {
  try {
    return JSON.parse(text) as LogEntry;
  } catch (error) {
    throw new Error(`Terraform's log: ${where} is not JSON (${(error as Error).message})`);
  }
}

export function readRecordedCalls(logFile: string): RecordedCall[] {
  return logEntries(readFileSync(logFile, 'utf8'))
    .filter((entry) => entry['@message'] === 'HTTP Request Sent')
    .map((entry) => {
      const url = new URL(String(entry['http.url']));
      return {
        service: String(entry['rpc.service']),
        operation: String(entry['rpc.method']),
        region: String(entry['aws.region'] ?? ''),
        method: String(entry['http.method']),
        path: url.pathname + url.search,
        body: String(entry['http.request.body'] ?? ''),
      };
    });
}

export interface Account {
  readonly partition: string;
  readonly accountId: string;
  /**
   * The role a function runs as. The provider truncates logged bodies at about 90 KB, and a
   * CreateFunction body is mostly the zip, so its Role field may not be in the log.
   */
  readonly functionRole?: (functionName: string) => string | undefined;
  /**
   * The tags AWS holds for an API Gateway REST API (by id), custom domain (by name), usage plan or
   * API key (by id), for the `aws:ResourceTag/*` keys IAM sets on every request to it or to
   * anything under it.
   */
  readonly apiGatewayTags?: (
    kind: ApiGatewayTagged,
    id: string,
  ) => Readonly<Record<string, string>> | undefined;
}

/** The API Gateway resources that carry tags of their own. */
export type ApiGatewayTagged = 'restapis' | 'domainnames' | 'usageplans' | 'apikeys';

/**
 * API Gateway's tag keys for a request on `path`: a REST API's tags apply to everything under it
 * (resources, methods, integrations, deployments, stages), a domain's to its base path mappings, a
 * usage plan's to its keys, and a tagging request's to the resource it tags; the tags a request
 * sets are `aws:RequestTag/*`.
 */
function apiGatewayTagContext(path: string, body: string, account: Account): Record<string, string> {
  const target = path.replace(/^\/tags\/arn:[^:]+:apigateway:[^:]*::/, '');
  const [, kind, id] = /^\/(restapis|domainnames|usageplans|apikeys)\/([^/]+)/.exec(target) ?? [];
  const held = kind && id ? account.apiGatewayTags?.(kind as ApiGatewayTagged, id) : undefined;
  // Tags ride in the JSON body of the create and tag requests; other bodies (an OpenAPI import,
  // a PATCH's operations) carry none that IAM reads.
  let requested: Record<string, string> = {};
  try {
    const tags = (JSON.parse(body) as { tags?: unknown }).tags;
    if (tags && typeof tags === 'object' && !Array.isArray(tags)) requested = tags as Record<string, string>;
  } catch {
    // not a single JSON object: no request tags
  }
  return Object.fromEntries([
    ...Object.entries(held ?? {}).map(([key, value]) => [`aws:ResourceTag/${key}`, value]),
    ...Object.entries(requested).map(([key, value]) => [`aws:RequestTag/${key}`, value]),
  ]);
}

/** Query-protocol (form) or JSON request parameters, flattened to strings where they are strings. */
function params(call: RecordedCall): {
  get(name: string): string | undefined;
  all(prefix: string): string[];
} {
  const body = call.body.trim();
  if (body.startsWith('{') && body.endsWith('[truncated...]')) {
    // Only top-level string fields that precede the cut can be read.
    const field = (name: string) => new RegExp(`"${name}":"((?:[^"\\\\]|\\\\.)*)"`).exec(body)?.[1];
    return { get: field, all: () => [] };
  }
  if (body.startsWith('{')) {
    const json = JSON.parse(body) as Record<string, unknown>;
    return {
      get: (name) => (typeof json[name] === 'string' ? (json[name] as string) : undefined),
      all: (name) => (Array.isArray(json[name]) ? (json[name] as string[]) : []),
    };
  }
  const form = new URLSearchParams(body);
  return {
    get: (name) => form.get(name) ?? undefined,
    all: (prefix) =>
      [...form.entries()].filter(([key]) => key.startsWith(`${prefix}.member.`)).map(([, v]) => v),
  };
}

const hasTags = (call: RecordedCall) => /"[Tt]ags"\s*:\s*\{\s*"|Tags\.member\.1\./.test(call.body);

/** The S3 operations whose IAM action is not `s3:<operation>`. */
const S3_ACTIONS: Record<string, string> = {
  HeadBucket: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  HeadObject: 's3:GetObject',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  PutBucketEncryption: 's3:PutEncryptionConfiguration',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  GetBucketReplication: 's3:GetReplicationConfiguration',
  GetBucketAccelerateConfiguration: 's3:GetAccelerateConfiguration',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  GetBucketCors: 's3:GetBucketCORS',
  DeleteBucketEncryption: 's3:PutEncryptionConfiguration',
  DeleteBucketOwnershipControls: 's3:PutBucketOwnershipControls',
};

/** The IAM authorizations one call needs, including the ones AWS checks on the side (PassRole, tag-on-create). */
export function authorizationsFor(call: RecordedCall, account: Account): AuthorizationRequest[] {
  const { partition, accountId } = account;
  const regional = (service: string, resource: string) =>
    `arn:${partition}:${service}:${call.region}:${accountId}:${resource}`;
  const p = params(call);
  const path = decodeURIComponent(call.path.split('?')[0] ?? '');
  const one = (action: string, resource: string): AuthorizationRequest[] => [{ action, resource }];

  switch (call.service) {
    case 'STS':
      // GetCallerIdentity needs no permission, and nothing else is called.
      if (call.operation === 'GetCallerIdentity') return [];
      break;
    case 'API Gateway': {
      // API Gateway's IAM actions are the HTTP verbs, on the path; setting a REST API's resource
      // policy also takes apigateway:UpdateRestApiPolicy, under the same conditions.
      const resource = `arn:${partition}:apigateway:${call.region}::${path}`;
      const context = apiGatewayTagContext(path, call.body, account);
      const setsPolicy = /^\/restapis\/[^/]+$/.test(path) && /"path"\s*:\s*"\/policy"/.test(call.body);
      return [`apigateway:${call.method}`, ...(setsPolicy ? ['apigateway:UpdateRestApiPolicy'] : [])].map(
        (action) => ({ action, resource, ...(Object.keys(context).length > 0 && { context }) }),
      );
    }
    case 'S3': {
      const [, bucket = '', ...key] = path.split('/');
      const resource = `arn:${partition}:s3:::${bucket}${key.length > 0 ? `/${key.join('/')}` : ''}`;
      return one(S3_ACTIONS[call.operation] ?? `s3:${call.operation}`, resource);
    }
    case 'DynamoDB': {
      const table = p.get('ResourceArn') ?? regional('dynamodb', `table/${p.get('TableName')}`);
      return [
        { action: `dynamodb:${call.operation}`, resource: table },
        ...(call.operation === 'CreateTable' && hasTags(call) ? one('dynamodb:TagResource', table) : []),
      ];
    }
    case 'CloudWatch Logs': {
      if (call.operation === 'DescribeLogGroups')
        return one('logs:DescribeLogGroups', regional('logs', 'log-group:*'));
      const group = p.get('resourceArn') ?? regional('logs', `log-group:${p.get('logGroupName')}:*`);
      return [
        { action: `logs:${call.operation}`, resource: group },
        ...(call.operation === 'CreateLogGroup' && hasTags(call) ? one('logs:TagResource', group) : []),
      ];
    }
    case 'CloudWatch': {
      const names = p.all('AlarmNames');
      const single = p.get('AlarmName');
      const alarms = p.get('ResourceARN')
        ? [p.get('ResourceARN') as string]
        : [...names, ...(single ? [single] : [])].map((name) => regional('cloudwatch', `alarm:${name}`));
      return alarms.flatMap((alarm) => [
        { action: `cloudwatch:${call.operation}`, resource: alarm },
        ...(call.operation === 'PutMetricAlarm' && hasTags(call) ? one('cloudwatch:TagResource', alarm) : []),
      ]);
    }
    case 'SNS': {
      const resource =
        p.get('TopicArn') ??
        p.get('ResourceArn') ??
        p.get('SubscriptionArn') ??
        regional('sns', p.get('Name') ?? '*');
      return [
        { action: `sns:${call.operation}`, resource },
        ...(call.operation === 'CreateTopic' && hasTags(call) ? one('sns:TagResource', resource) : []),
      ];
    }
    case 'IAM': {
      const role = p.get('RoleName');
      const resource = role
        ? `arn:${partition}:iam::${accountId}:role/${role}`
        : (p.get('PolicyArn') ?? p.get('OpenIDConnectProviderArn') ?? '*');
      const context =
        call.operation.endsWith('RolePolicy') && p.get('PolicyArn')
          ? { 'iam:PolicyARN': p.get('PolicyArn') as string }
          : undefined;
      return [
        { action: `iam:${call.operation}`, resource, ...(context && { context }) },
        ...(call.operation === 'CreateRole' && hasTags(call) ? one('iam:TagRole', resource) : []),
      ];
    }
    case 'KMS': {
      // Asked by alias; IAM authorizes against the key the alias points to, whose id only AWS knows.
      const key = p.get('KeyId') ?? '';
      const resource = key.startsWith('arn:') ? key : regional('kms', `key/target-of-${key}`);
      return one(`kms:${call.operation}`, resource);
    }
    case 'Lambda': {
      const named = /\/functions\/([^/]+)/.exec(path)?.[1] ?? p.get('FunctionName') ?? '';
      const fn = named.startsWith('arn:') ? named : regional('lambda', `function:${named}`);
      const tagged = /\/tags\/(arn:.+)$/.exec(path)?.[1];
      const creates = call.operation === 'CreateFunction';
      const passed =
        creates || call.operation === 'UpdateFunctionConfiguration'
          ? (p.get('Role') ?? (creates ? account.functionRole?.(named) : undefined))
          : undefined;
      if (creates && passed === undefined)
        throw new Error(`CreateFunction of ${named}: the role it passes is unknown`);
      return [
        { action: `lambda:${call.operation}`, resource: tagged ?? fn },
        // Every function here is tagged (the provider's default tags); a truncated body hides them.
        ...(creates ? one('lambda:TagResource', fn) : []),
        ...(passed
          ? [
              {
                action: 'iam:PassRole',
                resource: passed,
                context: { 'iam:PassedToService': 'lambda.amazonaws.com' },
              },
            ]
          : []),
      ];
    }
    case 'Route 53': {
      // REST-XML: the zone or the change is in the path (/2013-04-01/hostedzone/<id>/…, /change/<id>).
      const [, kind, id] = /\/(hostedzone|change)\/([^/]+)/.exec(path) ?? [];
      return one(`route53:${call.operation}`, `arn:${partition}:route53:::${kind}/${id}`);
    }
    case 'WAFV2': {
      const target = p.get('ResourceArn');
      const acl = p.get('WebACLArn') ?? regional('wafv2', `regional/webacl/${p.get('Name')}/${p.get('Id')}`);
      const setsAcl = ['AssociateWebACL', 'DisassociateWebACL'].includes(call.operation);
      return [
        {
          action: `wafv2:${call.operation}`,
          resource: call.operation === 'GetWebACL' ? acl : (target ?? acl),
        },
        ...(call.operation === 'AssociateWebACL' ? one('wafv2:AssociateWebACL', acl) : []),
        // Associating a web ACL with a stage is also an API Gateway action on that stage.
        ...(setsAcl && target
          ? [
              {
                action: 'apigateway:SetWebACL',
                resource: target,
                context: apiGatewayTagContext(
                  target.replace(/^arn:[^:]+:apigateway:[^:]*::/, ''),
                  '',
                  account,
                ),
              },
            ]
          : []),
      ];
    }
  }
  throw new Error(
    `no IAM mapping for ${call.service} ${call.operation} (${call.method} ${call.path}); add it to test/deploy/recorded-calls.ts`,
  );
}
