import type { AccessMode } from './access';
import { cacheControlProblems, secondsProblem } from './cache-control';
import { originProblem } from './cors-origin';
import type { Check } from './rules';

export { cacheControlProblems } from './cache-control';

/**
 * What a client may do with a response, decided once and shared by the handler, the REST API
 * definition (its CORS preflight and gateway responses) and the local emulator, so the three cannot
 * disagree: which origins may read it (CORS) and how long caches may keep it (Cache-Control).
 */

/** The methods `/{id}` answers; OPTIONS only when CORS is on, as a preflight the gateway answers. */
export const ITEM_METHODS = ['GET', 'HEAD'] as const;
export const PREFLIGHT_METHOD = 'OPTIONS';

/** What `/{id}` allows (a 405's `Allow`): the item methods, and the preflight when CORS is on. */
export function allowedMethods(corsEnabled: boolean): string[] {
  return corsEnabled ? [...ITEM_METHODS, PREFLIGHT_METHOD] : [...ITEM_METHODS];
}

export function isItemMethod(method: unknown): method is (typeof ITEM_METHODS)[number] {
  return (ITEM_METHODS as readonly unknown[]).includes(method);
}

/** Not CORS-safelisted, so a script's conditional GET needs a preflight that allows it. */
export const CORS_ALLOWED_HEADERS = ['If-None-Match'] as const;

/** What a caller adds in each access mode: its key, or its SigV4 signature and the headers it signs. */
export const ACCESS_REQUEST_HEADERS: Readonly<Record<AccessMode, readonly string[]>> = {
  public: [],
  'api-key': ['x-api-key'],
  iam: ['Authorization', 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Amz-Content-Sha256'],
};

/** The headers a preflight allows: public mode's exactly as before, plus what the mode needs. */
export function corsAllowedHeaders(mode: AccessMode = 'public'): string[] {
  return [...CORS_ALLOWED_HEADERS, ...ACCESS_REQUEST_HEADERS[mode]];
}

/**
 * Browsers hide response headers from scripts unless they are exposed: conditional GETs need the
 * ETag, and a script told to retry a 503 needs Retry-After. API Gateway's own answers carry neither
 * header, so they expose nothing.
 */
export const CORS_EXPOSED_HEADERS = ['ETag', 'Retry-After'] as const;

/** How long a browser may reuse a preflight answer: short enough that a changed origin list applies soon. */
export const CORS_MAX_AGE_SECONDS = 600;

/** Who may read responses: any origin, or exactly the listed ones (never a reflection of any other). */
export type CorsOrigins = '*' | readonly string[];

/**
 * Every problem with an origin setting, empty when it is valid: each origin must be one a browser
 * can send (./cors-origin), listed once.
 */
export function corsOriginProblems(origins: CorsOrigins): string[] {
  if (origins === '*') return [];
  if (origins.length === 0) return ['must name at least one origin'];
  const problems = origins.map(originProblem).filter((problem) => problem !== undefined);
  if (new Set(origins).size !== origins.length) problems.push('lists an origin twice');
  return problems;
}

/** The environment variable's form: `*`, or origins separated by commas. */
export function formatCorsOrigins(origins: CorsOrigins): string {
  return origins === '*' ? '*' : origins.join(',');
}

export function parseCorsOrigins(value: string): CorsOrigins {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  return origins.length === 1 && origins[0] === '*' ? '*' : origins;
}

/**
 * The `Access-Control-Allow-Origin` for a request from `requestOrigin`, or undefined when that
 * origin may not read the response. With one configured origin it is that origin whatever the
 * request says (the browser compares), so caches need no Vary beyond Origin.
 */
export function allowedOrigin(origins: CorsOrigins, requestOrigin: string | undefined): string | undefined {
  if (origins === '*') return '*';
  if (origins.length === 1) return origins[0];
  return requestOrigin !== undefined && origins.includes(requestOrigin) ? requestOrigin : undefined;
}

/** The preflight answer's headers, apart from the origin when it depends on the request. */
export function preflightHeaders(origins: CorsOrigins, mode: AccessMode = 'public'): Record<string, string> {
  const fixedOrigin = allowedOrigin(origins, undefined);
  return {
    ...(fixedOrigin !== undefined && { 'Access-Control-Allow-Origin': fixedOrigin }),
    'Access-Control-Allow-Methods': [...ITEM_METHODS, PREFLIGHT_METHOD].join(', '),
    'Access-Control-Allow-Headers': corsAllowedHeaders(mode).join(', '),
    'Access-Control-Max-Age': String(CORS_MAX_AGE_SECONDS),
    ...(origins !== '*' && { Vary: 'Origin' }),
  };
}

/**
 * Headers of the errors API Gateway answers itself (unknown route, throttling, WAF, its own 5xx):
 * never cached, and readable by the allowed origin. Gateway responses cannot choose among several
 * origins (they are not processed as templates), so with a list they carry no origin at all rather
 * than echo any.
 */
export function gatewayErrorHeaders(origins: CorsOrigins | undefined): Record<string, string> {
  const origin = origins === undefined ? undefined : allowedOrigin(origins, undefined);
  return {
    'Cache-Control': ERROR_CACHE_CONTROL,
    ...(origin !== undefined && { 'Access-Control-Allow-Origin': origin }),
    ...(origins !== undefined && origins !== '*' && { Vary: 'Origin' }),
  };
}

/** How caches may keep an item: revalidate every time (the ETag makes that a cheap 304), or for a while. */
export interface CachePolicy {
  /** Seconds a cache may serve the item without asking. */
  readonly maxAgeSeconds: number;
  /** Seconds past that a cache may serve it while it revalidates in the background. */
  readonly staleWhileRevalidateSeconds?: number;
}

/** Items may be stored, but must be revalidated before each use. */
export const DEFAULT_ITEM_CACHE_CONTROL = 'no-cache';

/** Errors are never stored: a 503 kept by a cache would outlive the outage. */
export const ERROR_CACHE_CONTROL = 'no-store';

export function cachePolicyProblems(policy: CachePolicy): string[] {
  const seconds = (name: string, value: number | undefined) => {
    const problem = value === undefined ? undefined : secondsProblem(value);
    return problem === undefined ? [] : [`${name} ${problem}`];
  };
  const problems = [
    ...seconds('maxAgeSeconds', policy.maxAgeSeconds),
    ...seconds('staleWhileRevalidateSeconds', policy.staleWhileRevalidateSeconds),
  ];
  // What the function will be given is held to the same rule as CACHE_CONTROL itself.
  return problems.length > 0 ? problems : cacheControlProblems(itemCacheControl(policy));
}

/** The `Cache-Control` of a 200 or 304. */
export function itemCacheControl(policy: CachePolicy | undefined): string {
  if (policy === undefined) return DEFAULT_ITEM_CACHE_CONTROL;
  const swr = policy.staleWhileRevalidateSeconds;
  return `max-age=${policy.maxAgeSeconds}${swr === undefined ? '' : `, stale-while-revalidate=${swr}`}`;
}

/** `*`, or a list of origins (scheme, host, optional port) the API answers with CORS headers. */
export const checkCorsOrigins: Check<CorsOrigins> = (value) => {
  const problems = corsOriginProblems(value);
  return problems.length === 0 ? undefined : `must be "*" or a list of origins: ${problems.join('; ')}`;
};

export const checkCachePolicy: Check<CachePolicy> = (value) => {
  const problems = cachePolicyProblems(value);
  return problems.length === 0 ? undefined : problems.join('; ');
};
