import { ConfigError } from './errors';

/**
 * DynamoDB time limits. The worst case is bounded by `timeBudgetMs`: the handler answers 503 when
 * the budget runs out, whatever the SDK is doing. A single attempt is bounded by
 * `connectionTimeoutMs + requestTimeoutMs` (2 s), so up to `maxAttempts` fit when DynamoDB answers
 * promptly with a retryable error, and at least one full attempt fits when it stalls. The Lambda
 * timeout (6 s by default in infra) sits above the budget, so the handler always answers before
 * Lambda kills it. In-region GetItem normally completes in single-digit milliseconds.
 */
export const DYNAMODB_LIMITS = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
  maxAttempts: 3,
  timeBudgetMs: 3_000,
} as const;

export type DynamoLimits = { readonly [K in keyof typeof DYNAMODB_LIMITS]: number };

export interface HandlerConfig {
  readonly tableName: string;
  readonly region: string | undefined;
  /** Set from AWS_ENDPOINT_URL_DYNAMODB to talk to a local DynamoDB such as dynalite. */
  readonly endpoint: string | undefined;
  readonly corsAllowOrigin: string | undefined;
  readonly limits: DynamoLimits;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the environment once, at init. Throws ConfigError naming the offending variable. */
export function loadConfig(env: Env): HandlerConfig {
  const tableName = env.TABLE_NAME?.trim();
  if (!tableName) throw new ConfigError('TABLE_NAME', 'is required: the DynamoDB table to read items from');
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new ConfigError('TABLE_NAME', 'must be 3-255 characters of A-Z, a-z, 0-9, "_", "-" or "."');
  }

  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL_DYNAMODB);
  if (endpoint !== undefined && !(/^https?:\/\//i.test(endpoint) && URL.canParse(endpoint))) {
    throw new ConfigError(
      'AWS_ENDPOINT_URL_DYNAMODB',
      'must be an absolute URL such as http://127.0.0.1:8000',
    );
  }

  const corsAllowOrigin = nonEmpty(env.CORS_ALLOW_ORIGIN);
  if (corsAllowOrigin !== undefined && /[\r\n]/.test(corsAllowOrigin)) {
    throw new ConfigError('CORS_ALLOW_ORIGIN', 'must be a single origin or "*", without line breaks');
  }

  return {
    tableName,
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
    endpoint,
    corsAllowOrigin,
    limits: DYNAMODB_LIMITS,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
