import {
  type CorsOrigins,
  cacheControlProblems,
  corsOriginProblems,
  DEFAULT_ITEM_CACHE_CONTROL,
  formatCorsOrigins,
  parseCorsOrigins,
} from '#shared/response-policy';
import { checkTableName, DYNAMODB_LIMITS } from '#shared/rules';
import { ConfigError } from './errors';

export type DynamoLimits = { readonly [K in keyof typeof DYNAMODB_LIMITS]: number };

export interface HandlerConfig {
  readonly tableName: string;
  readonly region: string | undefined;
  /** Set from AWS_ENDPOINT_URL_DYNAMODB to talk to a local DynamoDB such as dynalite. */
  readonly endpoint: string | undefined;
  readonly responses: ResponseSettings;
  readonly limits: DynamoLimits;
}

/** What responses say to browsers and caches, beyond the item itself. */
export interface ResponseSettings {
  /** From CORS_ALLOW_ORIGIN; undefined sends no CORS headers. */
  readonly corsOrigins: CorsOrigins | undefined;
  /** From CACHE_CONTROL: the `Cache-Control` of a 200 or 304 (errors are always `no-store`). */
  readonly itemCacheControl: string;
}

/** No CORS, items revalidated on every use: the settings when nothing is configured. */
export const DEFAULT_RESPONSE_SETTINGS: ResponseSettings = {
  corsOrigins: undefined,
  itemCacheControl: DEFAULT_ITEM_CACHE_CONTROL,
};

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the environment once, at init. Throws ConfigError naming the offending variable. */
export function loadConfig(env: Env): HandlerConfig {
  const tableName = env.TABLE_NAME?.trim();
  if (!tableName) throw new ConfigError('TABLE_NAME', 'is required: the DynamoDB table to read items from');
  const tableNameProblem = checkTableName(tableName);
  if (tableNameProblem !== undefined) throw new ConfigError('TABLE_NAME', tableNameProblem);

  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL_DYNAMODB);
  if (endpoint !== undefined && !(/^https?:\/\//i.test(endpoint) && URL.canParse(endpoint))) {
    throw new ConfigError(
      'AWS_ENDPOINT_URL_DYNAMODB',
      'must be an absolute URL such as http://127.0.0.1:8000',
    );
  }

  return {
    tableName,
    region: nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION),
    endpoint,
    responses: loadResponseSettings(env),
    limits: DYNAMODB_LIMITS,
  };
}

/**
 * CORS_ALLOW_ORIGIN (`*`, or origins separated by commas) and CACHE_CONTROL, read the way the
 * function reads them; `npm start` reads them with this too, so it refuses what the function would.
 */
export function loadResponseSettings(env: Env): ResponseSettings {
  const { settings, problems } = readResponseSettings(env);
  if (problems[0] !== undefined) throw problems[0];
  return settings;
}

/** Every variable `loadResponseSettings` would refuse, not only the first: `npm start` names them all. */
export function responseSettingsProblems(env: Env): readonly ConfigError[] {
  return readResponseSettings(env).problems;
}

function readResponseSettings(env: Env): { settings: ResponseSettings; problems: ConfigError[] } {
  const problems: ConfigError[] = [];
  const origins = nonEmpty(env.CORS_ALLOW_ORIGIN);
  const corsOrigins = origins === undefined ? undefined : parseCorsOrigins(origins);
  const corsProblems = corsOrigins === undefined ? [] : corsOriginProblems(corsOrigins);
  if (corsProblems.length > 0) {
    problems.push(
      new ConfigError(
        'CORS_ALLOW_ORIGIN',
        `must be "*" or origins separated by commas: ${corsProblems.join('; ')}`,
      ),
    );
  }

  const itemCacheControl = nonEmpty(env.CACHE_CONTROL) ?? DEFAULT_ITEM_CACHE_CONTROL;
  const cacheProblems = cacheControlProblems(itemCacheControl);
  if (cacheProblems.length > 0) problems.push(new ConfigError('CACHE_CONTROL', cacheProblems.join('; ')));

  return { settings: { corsOrigins, itemCacheControl }, problems };
}

/**
 * The environment that gives the function these settings: what `loadConfig` reads back. Infra
 * deploys exactly this, and `npm start` gives it to the local function, so both can hold it to
 * Lambda's 4 KB limit before anything runs.
 */
export function functionEnvironment(settings: {
  readonly tableName: string;
  readonly corsOrigins?: CorsOrigins;
  readonly itemCacheControl?: string;
}): Record<string, string> {
  return {
    TABLE_NAME: settings.tableName,
    ...(settings.corsOrigins !== undefined && { CORS_ALLOW_ORIGIN: formatCorsOrigins(settings.corsOrigins) }),
    ...(settings.itemCacheControl !== undefined && { CACHE_CONTROL: settings.itemCacheControl }),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
