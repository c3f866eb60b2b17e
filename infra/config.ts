import type { CachePolicy, CorsOrigins } from '../handler/src/response-policy';
import {
  type CustomDomainSettings,
  checkCachePolicy,
  checkCorsOrigins,
  checkCustomDomain,
  checkEmail,
  checkLatencyThresholdMs,
  checkLogRetentionDays,
  checkMemoryMb,
  checkReservedConcurrency,
  checkThrottling,
  checkTimeoutSeconds,
  checkWebAclArn,
} from './limits';

/** Everything that differs between environments. One stack is synthesized per entry. */
export interface EnvironmentConfig {
  /** Stack name (`cdktf deploy <name>`) and `Environment` tag. Lowercase letters and digits. */
  readonly name: string;
  /** AWS region the stack deploys into, e.g. `eu-west-1`. */
  readonly region: string;
  /** Prefix of every resource name, e.g. `item-api-dev` gives the table `item-api-dev-items`. */
  readonly namePrefix: string;
  /** Lambda memory in MB; CPU scales with it. */
  readonly lambdaMemoryMb: number;
  /** Lambda timeout in seconds; must sit above the handler's DynamoDB time budget. */
  readonly lambdaTimeoutSeconds: number;
  /**
   * Reserved concurrency, or undefined for none. Off by default: a reservation turns overload into
   * throttled invocations (500s through API Gateway) instead of borrowing from the account pool,
   * and the deploy fails on accounts that cannot keep 100 unreserved (new accounts may have 10).
   */
  readonly reservedConcurrency?: number;
  /** API Gateway stage throttling for every method: steady rate (req/s) and burst (requests). */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /** Retention of the Lambda and API access log groups, in days. */
  readonly logRetentionDays: number;
  /** DynamoDB deletion protection: a `terraform destroy` or replacement of the table fails while on. */
  readonly deletionProtection: boolean;
  /**
   * Origins whose pages may read the API: `'*'` for any, or a list (the request's `Origin` is echoed
   * only when listed). Turns on the `OPTIONS` preflight and CORS headers on every response, gateway
   * errors included. Undefined: no CORS headers at all.
   */
  readonly corsAllowOrigins?: CorsOrigins;
  /**
   * How long caches may keep an item. Undefined: `Cache-Control: no-cache` (store, but revalidate
   * with the ETag every time). Errors are always `no-store`.
   */
  readonly cacheControl?: CachePolicy;
  /** A stable URL for clients: a custom domain on the stage. Undefined: the `execute-api` URL only. */
  readonly customDomain?: CustomDomainSettings;
  /** API Gateway stage name; the second path segment of the invoke URL. */
  readonly stageName: string;
  /** Extra tags on every resource, besides `Project` and `Environment`. */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Where alarm notifications go: creates an SNS topic with an email subscription (confirm the mail
   * AWS sends) and makes every alarm notify it. Undefined: alarms exist, but notify nobody.
   */
  readonly alarmEmail?: string;
  /** p99 API latency (ms, over 5 minutes) above which the latency alarm fires; undefined: 1000. */
  readonly latencyAlarmP99Ms?: number;
  /**
   * A regional AWS WAF web ACL to put in front of the API stage, or undefined for none. The ACL is
   * yours (often shared across APIs); the stack only associates it.
   */
  readonly wafWebAclArn?: string;
}

const COMMON = {
  region: 'us-east-1',
  // Chosen with `npm run bench` (README, Choices): the knee of cold start and p99 against cost.
  lambdaMemoryMb: 512,
  lambdaTimeoutSeconds: 6,
  stageName: 'v1',
} as const;

export const ENVIRONMENTS: readonly EnvironmentConfig[] = [
  {
    ...COMMON,
    name: 'dev',
    namePrefix: 'item-api-dev',
    throttling: { rateLimit: 50, burstLimit: 100 },
    logRetentionDays: 14,
    deletionProtection: false,
  },
  {
    ...COMMON,
    name: 'prod',
    namePrefix: 'item-api-prod',
    throttling: { rateLimit: 100, burstLimit: 200 },
    logRetentionDays: 90,
    deletionProtection: true,
  },
];

export class ConfigValidationError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field} ${problem}`);
    this.name = 'ConfigValidationError';
  }
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
// Lambda function and IAM role names are capped at 64 characters; the longest suffix we add is 20.
const NAME_PREFIX = /^[a-z][a-z0-9-]{1,42}[a-z0-9]$/;

/** Throws ConfigValidationError naming `environments.<name>.<field>` for the first bad value. */
export function validateEnvironmentConfig(config: EnvironmentConfig): EnvironmentConfig {
  const at = (field: string) => `environments.${config.name || '?'}.${field}`;
  const fail = (field: string, problem: string | undefined) => {
    if (problem !== undefined) throw new ConfigValidationError(at(field), problem);
  };

  fail(
    'name',
    /^[a-z][a-z0-9]{1,19}$/.test(config.name) ? undefined : 'must be 2-20 lowercase letters or digits',
  );
  fail(
    'region',
    REGION.test(config.region)
      ? undefined
      : `must be an AWS region such as eu-west-1, got ${JSON.stringify(config.region)}`,
  );
  fail(
    'namePrefix',
    NAME_PREFIX.test(config.namePrefix)
      ? undefined
      : `must be 3-44 characters of lowercase letters, digits and "-", got ${JSON.stringify(config.namePrefix)}`,
  );
  fail('lambdaMemoryMb', checkMemoryMb(config.lambdaMemoryMb));
  fail('lambdaTimeoutSeconds', checkTimeoutSeconds(config.lambdaTimeoutSeconds));
  fail('reservedConcurrency', checkReservedConcurrency(config.reservedConcurrency));
  fail('throttling', checkThrottling(config.throttling.rateLimit, config.throttling.burstLimit));
  fail('logRetentionDays', checkLogRetentionDays(config.logRetentionDays));
  fail('corsAllowOrigins', checkCorsOrigins(config.corsAllowOrigins));
  fail('cacheControl', checkCachePolicy(config.cacheControl));
  fail('customDomain', checkCustomDomain(config.customDomain, config.region));
  fail('alarmEmail', checkEmail(config.alarmEmail));
  fail('wafWebAclArn', checkWebAclArn(config.wafWebAclArn));
  if (config.latencyAlarmP99Ms !== undefined) {
    fail('latencyAlarmP99Ms', checkLatencyThresholdMs(config.latencyAlarmP99Ms));
  }
  fail(
    'stageName',
    /^[A-Za-z0-9_]{1,128}$/.test(config.stageName) ? undefined : 'must be 1-128 letters, digits or "_"',
  );
  return config;
}

/** Validates every environment and that no two share a name or a name prefix. */
export function validateEnvironments(configs: readonly EnvironmentConfig[]): readonly EnvironmentConfig[] {
  const seen = new Map<string, string>();
  for (const config of configs) {
    validateEnvironmentConfig(config);
    for (const [kind, value] of [
      ['name', config.name],
      ['namePrefix', config.namePrefix],
    ] as const) {
      const other = seen.get(`${kind}:${value}`);
      if (other !== undefined) {
        throw new ConfigValidationError(
          `environments.${config.name}.${kind}`,
          `must differ from environments.${other}.${kind}: both are ${JSON.stringify(value)}, so their resources would collide`,
        );
      }
      seen.set(`${kind}:${value}`, config.name);
    }
  }
  return configs;
}
