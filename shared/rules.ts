/**
 * Names, regions and limits: the rules AWS sets and the ones this project chose, written once for
 * every part that must obey them (the handler's config, the infrastructure's config and
 * constructs, the bootstrap, the state backend). Each check returns the problem as text, or
 * undefined, so callers can name the offending setting their own way (see ./validation).
 */
import { shown } from './quoted';

export type Check<T> = (value: T) => string | undefined;

/** A check from a pattern and what it means in words. Pure, so the handler bundle keeps only the checks it uses. */
/* @__NO_SIDE_EFFECTS__ */
function pattern(regex: RegExp, expectation: string): Check<string> {
  return (value) => (regex.test(value) ? undefined : `must be ${expectation}, got ${shown(value)}`);
}

// ---- Names ----------------------------------------------------------------------------------

/** Regions: the provider's known list, `aws` partition only (./aws-regions). */
export { checkRegion } from './aws-regions';

/** A stack and GitHub Environment name: short, so every resource name built on it stays valid. */
export const checkEnvironmentName = pattern(/^[a-z][a-z0-9]{1,19}$/, '2-20 lowercase letters or digits');

/**
 * The project's name prefix (`item-api`): the CI roles may manage only resources named
 * `<prefix>-<environment>…`, and are themselves named `<prefix>-github-…`.
 */
export const checkProjectPrefix = pattern(
  /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
  '2-32 lowercase letters, digits and hyphens',
);

/**
 * An environment's resource name prefix (`item-api-dev`). Lambda function and IAM role names stop
 * at 64 characters and the longest suffix added is 20.
 */
export const checkResourcePrefix = pattern(
  /^[a-z][a-z0-9-]{1,42}[a-z0-9]$/,
  '3-44 characters of lowercase letters, digits and "-"',
);

export const checkTableName = pattern(
  /^[A-Za-z0-9_.-]{3,255}$/,
  '3-255 characters of A-Z, a-z, 0-9, "_", "-" or "."',
);

/** Function names may be 64 characters; the role takes the name plus `-role`. */
export const checkFunctionName = pattern(
  /^[A-Za-z0-9_-]{1,59}$/,
  '1-59 characters of letters, digits, "-" or "_" (the role name adds "-role")',
);

export const checkApiName = pattern(/^[A-Za-z0-9_-]{1,128}$/, '1-128 letters, digits, "-" or "_"');

export const checkStageName = pattern(/^[A-Za-z0-9_]{1,128}$/, '1-128 letters, digits or "_"');

/** S3 bucket names, minus dots: a dotted name breaks the virtual-hosted TLS certificate. */
export const checkStateBucketName: Check<string> = (value) =>
  /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(value) && !value.includes('--')
    ? undefined
    : `must be 3-63 lowercase letters, digits and single hyphens (an S3 bucket name without dots), got ${shown(value)}`;

/** GitHub owners: alphanumerics and single hyphens, at most 39 characters. */
export const checkGithubOwner = pattern(
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/,
  'a GitHub user or organisation name',
);

export const checkGithubRepo: Check<string> = (value) =>
  /^[A-Za-z0-9._-]{1,100}$/.test(value) && !/^\.+$/.test(value)
    ? undefined
    : `must be a GitHub repository name, got ${shown(value)}`;

export const checkGithubOidcProviderArn = pattern(
  /^arn:aws:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
  'the ARN of the GitHub OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)',
);

/**
 * A regional WAF web ACL for the stage. A regional web ACL can only be associated with resources
 * in its own region, so one from elsewhere would fail half-way through the apply.
 */
export function checkWebAclArn(value: string, region?: string): string | undefined {
  const match =
    /^arn:aws:wafv2:([a-z0-9-]+):\d{12}:regional\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/.exec(value);
  if (match === null) {
    return `must be the ARN of a regional WAF web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), got ${shown(value)}`;
  }
  return inRegion(
    match[1] as string,
    region,
    'a regional web ACL attaches only to resources in its own region',
  );
}

export const checkHostedZoneId = pattern(
  /^[A-Z0-9]{1,32}$/,
  'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
);

export const checkDomainName = pattern(
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  'a lowercase host name such as api.example.com',
);

/** An ACM certificate for a regional endpoint: it must be in the stack's own region, when that is known. */
export function checkRegionalCertificateArn(value: string, region?: string): string | undefined {
  const match = /^arn:aws:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/.exec(value);
  if (match === null) return `must be an ACM certificate ARN, got ${shown(value)}`;
  return inRegion(match[1] as string, region, 'a regional endpoint takes a certificate from its own region');
}

function inRegion(found: string, region: string | undefined, why: string): string | undefined {
  return region === undefined || found === region
    ? undefined
    : `must be in the stack's region (${region}): ${why}; got one in ${found}`;
}

/**
 * One address, as SNS takes it for an email subscription. Deliberately simple: SNS sends a
 * confirmation mail, which is the real check; this only catches lists, names and typos like a
 * missing "@".
 */
export const checkEmail = pattern(
  /^[^\s@,;<>]+@[^\s@,;<>]+\.[A-Za-z]{2,}$/,
  'one email address such as ops@example.com',
);

// ---- Limits ---------------------------------------------------------------------------------

/**
 * The handler's DynamoDB time limits. The worst case is bounded by `timeBudgetMs`: the handler
 * answers 503 when the budget runs out, whatever the SDK is doing. A single attempt is bounded by
 * `connectionTimeoutMs + requestTimeoutMs` (2 s), so up to `maxAttempts` fit when DynamoDB answers
 * promptly with a retryable error, and a stalled attempt is abandoned at `requestTimeoutMs` and
 * retried (the client sets `throwOnRequestTimeout`). The Lambda
 * timeout sits above the budget (see LAMBDA_TIMEOUT), so the handler always answers before Lambda
 * kills it. In-region GetItem normally completes in single-digit milliseconds.
 */
export const DYNAMODB_LIMITS = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
  maxAttempts: 3,
  timeBudgetMs: 3_000,
} as const;

/** Lambda accepts 128 MB to 10,240 MB in 1 MB steps. */
export const LAMBDA_MEMORY_MB = { min: 128, max: 10_240 } as const;

/**
 * The Lambda timeout's bounds. Above the handler's DynamoDB budget plus headroom for cold start,
 * serialisation and logging, so the handler answers (503) before Lambda kills it (which API
 * Gateway would turn into an opaque 502); at most 10 s, well below API Gateway's 29 s.
 */
export const LAMBDA_TIMEOUT = { marginMs: 1_000, maxSeconds: 10 } as const;

/** API Gateway gives up on an integration after 29 s, so a latency alarm above that can never fire. */
export const API_INTEGRATION_TIMEOUT_MS = 29_000;

/** How long log groups keep their events unless an environment says otherwise. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** The values CloudWatch Logs accepts for `retention_in_days` (0, "never expire", is not allowed here). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const checkMemoryMb: Check<number> = (value) =>
  Number.isInteger(value) && value >= LAMBDA_MEMORY_MB.min && value <= LAMBDA_MEMORY_MB.max
    ? undefined
    : `must be a whole number of MB from ${LAMBDA_MEMORY_MB.min} to ${LAMBDA_MEMORY_MB.max}, got ${value}`;

export const checkTimeoutSeconds: Check<number> = (value) => {
  const minMs = DYNAMODB_LIMITS.timeBudgetMs + LAMBDA_TIMEOUT.marginMs;
  return Number.isInteger(value) && value <= LAMBDA_TIMEOUT.maxSeconds && value * 1000 > minMs
    ? undefined
    : `must be a whole number of seconds above ${minMs / 1000} (the handler's DynamoDB time budget of ` +
        `${DYNAMODB_LIMITS.timeBudgetMs} ms plus ${LAMBDA_TIMEOUT.marginMs} ms headroom) and at most ` +
        `${LAMBDA_TIMEOUT.maxSeconds}, got ${value}`;
};

export const checkLogRetentionDays: Check<number> = (value) =>
  (LOG_RETENTION_DAYS as readonly number[]).includes(value)
    ? undefined
    : `must be one of the CloudWatch Logs retention values (${LOG_RETENTION_DAYS.join(', ')}), got ${value}`;

export const checkRateLimit: Check<number> = (value) =>
  Number.isFinite(value) && value > 0
    ? undefined
    : `must be a positive number of requests per second, got ${value}`;

export const checkBurstLimit: Check<number> = (value) =>
  Number.isInteger(value) && value >= 1
    ? undefined
    : `must be a whole number of requests of at least 1, got ${value}`;

export const checkReservedConcurrency: Check<number> = (value) =>
  Number.isInteger(value) && value >= 1
    ? undefined
    : `must be a whole number of at least 1 when set (leave it unset for no reservation), got ${value}`;

export const checkLatencyThresholdMs: Check<number> = (value) =>
  Number.isInteger(value) && value >= 1 && value < API_INTEGRATION_TIMEOUT_MS
    ? undefined
    : `must be a whole number of milliseconds from 1 to ${API_INTEGRATION_TIMEOUT_MS - 1} (API Gateway's integration timeout is ${API_INTEGRATION_TIMEOUT_MS} ms), got ${value}`;

/** A share of something, in percent, strictly between 0 and 100. */
export const checkPercent: Check<number> = (value) =>
  Number.isFinite(value) && value > 0 && value < 100
    ? undefined
    : `must be a percentage above 0 and below 100, got ${value}`;

/**
 * Lambda caps a function's environment variables at 4 KB in aggregate (Lambda quotas, "Function
 * configuration, deployment, and execution": https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 * It measures the JSON text of the variables map, keys and values together, in bytes: its refusal
 * quotes that text ("…exceeded the 4KB limit. String measured: {"TABLE_NAME":"…",…}").
 */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;

/** The size Lambda counts for these variables. */
export function lambdaEnvironmentBytes(variables: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(JSON.stringify(variables), 'utf8');
}

export const checkLambdaEnvironment: Check<Readonly<Record<string, string>>> = (variables) => {
  const bytes = lambdaEnvironmentBytes(variables);
  return bytes <= LAMBDA_ENVIRONMENT_BYTES
    ? undefined
    : `makes the function's environment variables ${bytes} bytes as Lambda counts them (the JSON of ` +
        `${Object.keys(variables).join(', ')}); Lambda allows ${LAMBDA_ENVIRONMENT_BYTES} in total`;
};

// ---- Environment variables ------------------------------------------------------------------

/** A setting read from text: its value, or why it cannot be read. */
export type Parsed<T> =
  | { readonly value: T; readonly problem?: undefined }
  | { readonly value?: undefined; readonly problem: string };

const TRUE_WORDS = ['1', 'true', 'yes'];
const FALSE_WORDS = ['0', 'false', 'no'];

/**
 * A yes/no environment variable: `1`, `true` or `yes`; `0`, `false` or `no` (any case, spaces
 * around ignored); empty or unset is unset. Anything else is refused rather than read as "no", so
 * `ITEM_API_LOCAL_STATE=on` cannot be silently ignored.
 */
export function parseBoolean(raw: string | undefined): Parsed<boolean | undefined> {
  const word = raw?.trim().toLowerCase() ?? '';
  if (word === '') return { value: undefined };
  if (TRUE_WORDS.includes(word)) return { value: true };
  if (FALSE_WORDS.includes(word)) return { value: false };
  return { problem: `must be 1, true or yes, or 0, false or no (or empty), got ${shown(raw)}` };
}
