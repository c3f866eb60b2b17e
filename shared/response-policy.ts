import type { AccessMode } from './access';
import type { Check } from './rules';

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

/** Browsers hide ETag from scripts unless it is exposed, and conditional GETs need it. */
export const CORS_EXPOSED_HEADERS = ['ETag'] as const;

/** How long a browser may reuse a preflight answer: short enough that a changed origin list applies soon. */
export const CORS_MAX_AGE_SECONDS = 600;

/** One origin: scheme, host and optional port, no path. */
const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** Who may read responses: any origin, or exactly the listed ones (never a reflection of any other). */
export type CorsOrigins = '*' | readonly string[];

/** The port a browser leaves out of an origin, because it is the scheme's default. */
const DEFAULT_PORT = /^https:\/\/[^:]+:443$|^http:\/\/[^:]+:80$/;

/**
 * Every problem with an origin setting, empty when it is valid. Browsers compare
 * `Access-Control-Allow-Origin` with their own serialisation of the origin, byte for byte: lower
 * case, default port left out; an origin written any other way would never match.
 */
export function corsOriginProblems(origins: CorsOrigins): string[] {
  if (origins === '*') return [];
  if (origins.length === 0) return ['must name at least one origin'];
  const problems = origins.map((origin) => {
    if (!ORIGIN.test(origin))
      return `${JSON.stringify(origin)} is not an origin such as https://app.example.com (no path, no trailing slash; "*" only alone)`;
    if (origin !== origin.toLowerCase())
      return `${JSON.stringify(origin)} must be lower case, as browsers send it in Origin`;
    if (DEFAULT_PORT.test(origin))
      return `${JSON.stringify(origin)} must leave out its scheme's default port, as browsers do in Origin`;
    return undefined;
  });
  if (new Set(origins).size !== origins.length) problems.push('lists an origin twice');
  return problems.filter((problem) => problem !== undefined);
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

/** A Cache-Control list: directives, each a token with an optional `=token` or `="quoted"` argument. */
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[\\t !#-\\[\\]-~]|\\\\[\\t -~])*"';
const DIRECTIVE = `${TOKEN}(?:=(?:${TOKEN}|${QUOTED}))?`;
const CACHE_CONTROL_LIST = new RegExp(`^${DIRECTIVE}(?:[ \\t]*,[ \\t]*${DIRECTIVE})*$`);

/**
 * Every problem with a `Cache-Control` value as the function reads it (`CACHE_CONTROL`), empty
 * when it is valid: RFC 9111 §5.2 syntax on one line. Anything else, a line break above all, could
 * split the response's headers or be ignored by caches.
 */
export function cacheControlProblems(value: string): string[] {
  if (/[\r\n]/.test(value)) return ['must be a single line'];
  if (CACHE_CONTROL_LIST.test(value)) return [];
  return [
    `${JSON.stringify(value)} is not a list of directives such as "max-age=60, stale-while-revalidate=30" or "no-cache" (tokens, each optionally =token or ="quoted", separated by commas)`,
  ];
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

/** One year, the longest `max-age` HTTP caches are expected to honour usefully. */
const MAX_CACHE_SECONDS = 31_536_000;

export function cachePolicyProblems(policy: CachePolicy): string[] {
  const seconds = (name: string, value: number | undefined) =>
    value === undefined || (Number.isInteger(value) && value >= 0 && value <= MAX_CACHE_SECONDS)
      ? []
      : [`${name} must be a whole number of seconds from 0 to ${MAX_CACHE_SECONDS}, got ${value}`];
  return [
    ...seconds('maxAgeSeconds', policy.maxAgeSeconds),
    ...seconds('staleWhileRevalidateSeconds', policy.staleWhileRevalidateSeconds),
  ];
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
