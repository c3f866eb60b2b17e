import { DYNAMODB_LIMITS } from '../handler/src/config';
import {
  type CachePolicy,
  type CorsOrigins,
  cachePolicyProblems,
  corsOriginProblems,
} from '../handler/src/response-policy';

/**
 * The rules shared by the per-environment config and the constructs. Each check returns the
 * problem as text (or undefined), so each caller can name the offending field its own way.
 */

/** Lambda accepts 128 MB to 10,240 MB in 1 MB steps. */
export const LAMBDA_MEMORY_MB = { min: 128, max: 10_240 } as const;

/**
 * Headroom between the handler's DynamoDB time budget and the Lambda timeout: cold start, JSON
 * serialisation and logging happen outside the budget, and the handler must answer (503) before
 * Lambda kills it (which API Gateway would turn into an opaque 502).
 */
export const LAMBDA_TIMEOUT_MARGIN_MS = 1_000;

/** An API behind API Gateway's 29 s integration timeout should fail fast; 10 s is our ceiling. */
export const LAMBDA_TIMEOUT_MAX_SECONDS = 10;

/** The values CloudWatch Logs accepts for `retention_in_days` (0, "never expire", is not allowed here). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function checkMemoryMb(value: number): string | undefined {
  if (!Number.isInteger(value) || value < LAMBDA_MEMORY_MB.min || value > LAMBDA_MEMORY_MB.max) {
    return `must be a whole number of MB from ${LAMBDA_MEMORY_MB.min} to ${LAMBDA_MEMORY_MB.max}, got ${value}`;
  }
  return undefined;
}

export function checkTimeoutSeconds(value: number): string | undefined {
  const minMs = DYNAMODB_LIMITS.timeBudgetMs + LAMBDA_TIMEOUT_MARGIN_MS;
  if (!Number.isInteger(value) || value > LAMBDA_TIMEOUT_MAX_SECONDS || value * 1000 <= minMs) {
    return (
      `must be a whole number of seconds above ${minMs / 1000} (the handler's DynamoDB time budget of ` +
      `${DYNAMODB_LIMITS.timeBudgetMs} ms plus ${LAMBDA_TIMEOUT_MARGIN_MS} ms headroom) and at most ` +
      `${LAMBDA_TIMEOUT_MAX_SECONDS}, got ${value}`
    );
  }
  return undefined;
}

export function checkLogRetentionDays(value: number): string | undefined {
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(value)) {
    return `must be one of the CloudWatch Logs retention values (${LOG_RETENTION_DAYS.join(', ')}), got ${value}`;
  }
  return undefined;
}

export function checkThrottling(rateLimit: number, burstLimit: number): string | undefined {
  if (!Number.isFinite(rateLimit) || rateLimit <= 0) {
    return `rate limit must be a positive number of requests per second, got ${rateLimit}`;
  }
  if (!Number.isInteger(burstLimit) || burstLimit < 1) {
    return `burst limit must be a whole number of requests of at least 1, got ${burstLimit}`;
  }
  return undefined;
}

export function checkReservedConcurrency(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1) {
    return `must be a whole number of at least 1 when set (leave it unset for no reservation), got ${value}`;
  }
  return undefined;
}

/** `*`, or a list of origins (scheme, host, optional port) the API answers with CORS headers. */
export function checkCorsOrigins(value: CorsOrigins | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problems = corsOriginProblems(value);
  return problems.length === 0 ? undefined : `must be "*" or a list of origins: ${problems.join('; ')}`;
}

export function checkCachePolicy(value: CachePolicy | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problems = cachePolicyProblems(value);
  return problems.length === 0 ? undefined : problems.join('; ');
}

/** API Gateway gives up on an integration after 29 s, so a latency alarm above that can never fire. */
export const API_INTEGRATION_TIMEOUT_MS = 29_000;

export function checkLatencyThresholdMs(value: number): string | undefined {
  if (!Number.isInteger(value) || value < 1 || value >= API_INTEGRATION_TIMEOUT_MS) {
    return `must be a whole number of milliseconds from 1 to ${API_INTEGRATION_TIMEOUT_MS - 1} (API Gateway's integration timeout is ${API_INTEGRATION_TIMEOUT_MS} ms), got ${value}`;
  }
  return undefined;
}

/** A share of something, in percent, strictly between 0 and 100. */
export function checkPercent(value: number): string | undefined {
  if (!Number.isFinite(value) || value <= 0 || value >= 100) {
    return `must be a percentage above 0 and below 100, got ${value}`;
  }
  return undefined;
}

/**
 * One address, as SNS takes it for an email subscription. Deliberately simple: SNS sends a
 * confirmation mail, which is the real check; this only catches lists, names and typos like a
 * missing "@".
 */
export function checkEmail(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[^\s@,;<>]+@[^\s@,;<>]+\.[A-Za-z]{2,}$/.test(value)) {
    return `must be one email address such as ops@example.com, got ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** A regional AWS WAF web ACL, the only kind a REST API stage can use. */
export function checkWebAclArn(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (
    !/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/.test(
      value,
    )
  ) {
    return `must be the ARN of a regional WAF web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>), got ${JSON.stringify(value)}`;
  }
  return undefined;
}

/** A custom domain for the API: a name, its regional certificate, and optionally the DNS zone to alias it in. */
export interface CustomDomainSettings {
  /** The host clients use, e.g. `api.example.com`. */
  readonly domainName: string;
  /** A validated ACM certificate for that name, in the stack's region (regional endpoint). */
  readonly certificateArn: string;
  /**
   * Route 53 hosted zone of the name; an alias A record to the API is created in it.
   * @default - no record; point the name at the `regional_domain_name` output yourself
   */
  readonly hostedZoneId?: string;
  /**
   * Turn off the `execute-api` URL, so clients cannot bypass the domain (and the WAF, when set).
   * @default false
   */
  readonly disableDefaultEndpoint?: boolean;
}

const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HOSTED_ZONE_ID = /^[A-Z0-9]{1,32}$/;

export function checkCustomDomain(
  value: CustomDomainSettings | undefined,
  region: string,
): string | undefined {
  if (value === undefined) return undefined;
  const problems: string[] = [];
  if (!DOMAIN_NAME.test(value.domainName)) {
    problems.push(
      `domainName must be a lowercase host name such as api.example.com, got ${JSON.stringify(value.domainName)}`,
    );
  }
  const certificate = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/.exec(
    value.certificateArn,
  );
  if (certificate === null) {
    problems.push(
      `certificateArn must be an ACM certificate ARN, got ${JSON.stringify(value.certificateArn)}`,
    );
  } else if (certificate[1] !== region) {
    problems.push(
      `certificateArn must be in the stack's region (${region}) for a regional endpoint, got one in ${certificate[1]}`,
    );
  }
  if (value.hostedZoneId !== undefined && !HOSTED_ZONE_ID.test(value.hostedZoneId)) {
    problems.push(
      `hostedZoneId must be a Route 53 zone id such as Z0123456789ABCDEFGHIJ, got ${JSON.stringify(value.hostedZoneId)}`,
    );
  }
  return problems.length === 0 ? undefined : problems.join('; ');
}
