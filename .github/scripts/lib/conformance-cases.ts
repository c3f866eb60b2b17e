import { randomUUID } from 'node:crypto';
import { MAX_ID_BYTES } from '#handler/src/key-schema';
import type { AccessMode } from '#shared/access';
import type { AssumptionId } from '#shared/gateway-assumptions';
import {
  allowedOrigin,
  CORS_EXPOSED_HEADERS,
  CORS_MAX_AGE_SECONDS,
  type CorsOrigins,
  corsAllowedHeaders,
  ERROR_CACHE_CONTROL,
  gatewayErrorHeaders,
  ITEM_METHODS,
} from '#shared/response-policy';
import type { ProbeResponse } from './http-probe';
import {
  type Check,
  cacheControl,
  functionError,
  gatewayMessage,
  header,
  headerLists,
  jsonObject,
  noBody,
  status,
  strongETag,
} from './response-checks';

/**
 * The one list of what the local stack assumes about API Gateway, as requests and the answers they
 * must get. The emulator's tests run it against the local stack (test/local/conformance.test.ts),
 * and after every deploy the smoke test runs it against the live stage (.github/scripts/smoke.ts),
 * so a behaviour added to the emulator gets a live check by adding its case here. Each case names
 * the assumption it checks (shared/gateway-assumptions.ts) and says what a pass proves.
 */

/** What the environment was deployed with: decides which cases apply and what they expect. */
export interface SmokeProfile {
  /** An item that exists; without one, the 200, HEAD-with-ETag and 304 checks are skipped. */
  readonly itemId?: string;
  /** The origins CORS allows (`corsAllowOrigins`); undefined when CORS is off. */
  readonly cors?: CorsOrigins;
  /** The Cache-Control of a 200 and 304 (`fn.cacheControl`; `no-cache` by default). */
  readonly itemCacheControl: string;
  /** The stage's execute-api URL, and whether the environment turned it off. */
  readonly executeApi?: { readonly url: string; readonly disabled: boolean };
  /**
   * Who may call (`api.access.mode`). The smoke holds no API key and signs nothing, so outside
   * public mode it checks the refusals, and the cases that need the function are skipped.
   * @default 'public'
   */
  readonly access?: AccessMode;
}

export interface CaseRequest {
  /** `api`: the API URL (the custom domain's, when there is one); `execute-api`: the stage's own. */
  readonly target: 'api' | 'execute-api';
  readonly method: string;
  /** Appended to the base URL as written: already percent-encoded. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Answers of the cases run before, by case id (the 304 check sends the ETag the GET got). */
export type EarlierAnswers = ReadonlyMap<string, ProbeResponse>;

export interface ConformanceCase {
  readonly id: string;
  readonly title: string;
  readonly assumption: AssumptionId;
  /** What a pass proves about the live stage. */
  readonly proves: string;
  /** Why the case does not apply to this environment; undefined when it does. */
  readonly skip?: (profile: SmokeProfile) => string | undefined;
  readonly request: (profile: SmokeProfile, earlier: EarlierAnswers) => CaseRequest;
  /** Checked in order; the first that fails is the case's problem. */
  readonly expect: (profile: SmokeProfile, earlier: EarlierAnswers) => readonly Check[];
}

/** An id no environment holds: a random one per run. */
const MISSING_ID = `smoke-missing-${randomUUID()}`;
/** A path that matches no resource: /{id} is one segment. */
const UNKNOWN_PATH = `/smoke/${randomUUID()}`;
/** One byte over the handler's limit on the UTF-8 length of an id. */
export const OVERSIZED_ID = 'x'.repeat(MAX_ID_BYTES + 1);
/** Headers past API Gateway's 10,240-byte quota on request headers. */
const HEADER_PADDING = 'a'.repeat(10_300);
/** A well-formed API key no stage knows (20 to 128 letters and digits). */
const UNKNOWN_API_KEY = `smoke${randomUUID().replaceAll('-', '')}`;
/** An origin no environment allows. */
const OTHER_ORIGIN = 'https://smoke-not-allowed.invalid';

export const itemPath = (id: string) => `/${encodeURIComponent(id)}`;

/** The origin the smoke asks as: one CORS allows. */
export const allowedRequestOrigin = (cors: CorsOrigins) =>
  cors === '*' ? 'https://smoke.example.com' : (cors[cors.length - 1] as string);

const withOrigin = (profile: SmokeProfile): Record<string, string> =>
  profile.cors === undefined ? {} : { Origin: allowedRequestOrigin(profile.cors) };

const needsItem = (p: SmokeProfile) =>
  p.itemId === undefined ? 'no known item id (SMOKE_ITEM_ID, --item-id)' : undefined;
const needsCors = (p: SmokeProfile) => (p.cors === undefined ? 'CORS is off in this environment' : undefined);
const modeOf = (p: SmokeProfile): AccessMode => p.access ?? 'public';
/** The function answers only callers the access mode lets in, and the smoke is none of them. */
const needsPublic = (p: SmokeProfile) =>
  modeOf(p) === 'public'
    ? undefined
    : `api.access is ${modeOf(p)}: the smoke ${modeOf(p) === 'iam' ? 'signs nothing' : 'holds no API key'}, so the function never answers it`; // biome-ignore format: long message
const needsMode = (mode: AccessMode) => (p: SmokeProfile) =>
  modeOf(p) === mode ? undefined : `api.access is ${modeOf(p)}, not ${mode}`;
/** In iam mode MISSING_AUTHENTICATION_TOKEN stays AWS's 403, so no route answers the JSON 404. */
const notIam = (p: SmokeProfile) =>
  modeOf(p) === 'iam' ? 'api.access is iam: an unknown route gets 403 (access-iam-unknown-route)' : undefined;
const both =
  (...skips: ((p: SmokeProfile) => string | undefined)[]) =>
  (p: SmokeProfile) =>
    skips.map((skip) => skip(p)).find((reason) => reason !== undefined);

/** The CORS headers API Gateway's own answers carry (its gateway responses), as configured. */
function gatewayCors(profile: SmokeProfile): Check[] {
  if (profile.cors === undefined) return [header('access-control-allow-origin', undefined)];
  const expected = gatewayErrorHeaders(profile.cors);
  return [
    header('access-control-allow-origin', expected['Access-Control-Allow-Origin']),
    header('vary', expected.Vary),
  ];
}

/** The 403 API Gateway gives a route it does not have when an Authorization header came along. */
function authorizationRefused(message: RegExp) {
  return (profile: SmokeProfile): Check[] => [
    status(403),
    gatewayMessage(message),
    cacheControl(ERROR_CACHE_CONTROL),
    ...gatewayCors(profile),
  ];
}

/** Both wordings captured: "Invalid key=value pair (missing …" and the older "'x' not a valid key=value pair (missing …". */
const MISSING_EQUAL_SIGN =
  /^(Invalid|'.*' not a valid) key=value pair \(missing equal-sign\) in Authorization header/;
const REQUIRES_CREDENTIAL = /^Authorization header requires 'Credential' parameter\./;

export const CONFORMANCE_CASES = [
  {
    id: 'item-get',
    title: 'a known item: 200, a JSON object, a strong ETag, the item Cache-Control',
    assumption: 'proxy-relays-result',
    proves: "the function's status, headers and body reach the client as it returned them",
    skip: both(needsItem, needsPublic),
    request: (p) => ({ target: 'api', method: 'GET', path: itemPath(p.itemId ?? '') }),
    expect: (p) => [status(200), jsonObject, strongETag(), cacheControl(p.itemCacheControl)],
  },
  {
    id: 'item-head',
    title: "HEAD: GET's status and headers, no body",
    assumption: 'head-reaches-function',
    proves:
      'HEAD /{id} reaches the function (a defined method, not the gateway 404) and its answer has no body',
    skip: needsPublic,
    request: (p) => ({ target: 'api', method: 'HEAD', path: itemPath(p.itemId ?? MISSING_ID) }),
    expect: (p, earlier) =>
      p.itemId === undefined
        ? [
            status(404),
            cacheControl(ERROR_CACHE_CONTROL),
            header('content-type', /^application\/json/),
            noBody,
          ]
        : [
            status(200),
            strongETag(earlier.get('item-get')?.headers.get('etag')),
            header('content-type', /^application\/json/),
            cacheControl(p.itemCacheControl),
            noBody,
          ],
  },
  {
    id: 'item-not-modified',
    title: "a conditional GET with the item's ETag: 304, the same ETag, no body",
    assumption: 'proxy-relays-result',
    proves: 'If-None-Match reaches the function and its 304 reaches the client, without a body',
    skip: both(needsItem, needsPublic),
    request: (p, earlier) => ({
      target: 'api',
      method: 'GET',
      path: itemPath(p.itemId ?? ''),
      headers: { 'If-None-Match': earlier.get('item-get')?.headers.get('etag') ?? '*' },
    }),
    expect: (p, earlier) => [
      status(304),
      strongETag(earlier.get('item-get')?.headers.get('etag')),
      cacheControl(p.itemCacheControl),
      noBody,
    ],
  },
  {
    id: 'item-missing',
    title: "a missing item: the function's JSON 404, no-store",
    assumption: 'proxy-relays-result',
    proves: 'an id reaches the function and its error reaches the client with its headers',
    skip: needsPublic,
    request: () => ({ target: 'api', method: 'GET', path: itemPath(MISSING_ID) }),
    expect: () => [status(404), functionError, cacheControl(ERROR_CACHE_CONTROL)],
  },
  {
    id: 'id-oversized',
    title: `an id of ${MAX_ID_BYTES + 1} bytes: the function's JSON 400, no-store`,
    assumption: 'proxy-relays-result',
    proves: "a long id reaches the function, which refuses it, rather than the gateway's own answer",
    skip: needsPublic,
    request: () => ({ target: 'api', method: 'GET', path: itemPath(OVERSIZED_ID) }),
    expect: () => [status(400), functionError, cacheControl(ERROR_CACHE_CONTROL)],
  },
  {
    id: 'id-decoded-once',
    title: '/%25zz: the function\'s 404 for the id "%zz", not a 400',
    assumption: 'path-parameter-raw',
    proves:
      'the path parameter reaches the function still encoded ("%25zz"), so it is decoded once, into "%zz"; had API Gateway decoded it first, the function would get "%zz", fail to decode it, and answer 400',
    skip: needsPublic,
    request: () => ({ target: 'api', method: 'GET', path: '/%25zz' }),
    expect: () => [status(404), functionError, cacheControl(ERROR_CACHE_CONTROL)],
  },
  {
    id: 'id-encoded-slash',
    title: '/a%2Fb: the function answers for the id "a/b" (200 when it exists, else its 404), not the gateway\'s 404', // biome-ignore format: long title
    assumption: 'routing-on-raw-path',
    proves:
      "an encoded slash stays inside the one segment /{id} matches: routing on a decoded path would see /a/b, match nothing, and give the gateway's 404, which has no requestId",
    skip: needsPublic,
    request: () => ({ target: 'api', method: 'GET', path: '/a%2Fb' }),
    expect: () => [status(200, 404), (r) => (r.status === 200 ? jsonObject(r) : functionError(r))],
  },
  {
    id: 'route-unknown-path',
    title: 'an unknown path: the gateway\'s JSON 404 {"message":"Not found"}, no-store',
    assumption: 'unknown-route-404',
    proves: 'MISSING_AUTHENTICATION_TOKEN is answered by the gateway response the API configures',
    skip: notIam,
    request: () => ({ target: 'api', method: 'GET', path: UNKNOWN_PATH }),
    expect: () => [status(404), gatewayMessage('Not found'), cacheControl(ERROR_CACHE_CONTROL)],
  },
  {
    id: 'route-unknown-method',
    title: 'DELETE /{id}, a method the API does not define: the same JSON 404',
    assumption: 'unknown-route-404',
    proves: 'a method /{id} does not define is answered like an unknown path, before the function',
    skip: notIam,
    request: () => ({ target: 'api', method: 'DELETE', path: itemPath(MISSING_ID) }),
    expect: () => [status(404), gatewayMessage('Not found'), cacheControl(ERROR_CACHE_CONTROL)],
  },
  {
    id: 'route-options-without-cors',
    title: 'OPTIONS /{id} without CORS: the same JSON 404',
    assumption: 'unknown-route-404',
    proves: 'without CORS the API defines no OPTIONS method',
    skip: both(notIam, (p) =>
      p.cors === undefined ? undefined : 'CORS is on, so OPTIONS /{id} is the preflight',
    ),
    request: () => ({ target: 'api', method: 'OPTIONS', path: itemPath(MISSING_ID) }),
    expect: () => [status(404), gatewayMessage('Not found'), cacheControl(ERROR_CACHE_CONTROL)],
  },
  {
    id: 'route-unknown-path-bearer',
    title: 'an unknown path with "Authorization: Bearer …": 403 "Invalid key=value pair (missing equal-sign)…", JSON, no-store', // biome-ignore format: long title
    assumption: 'unknown-route-authorization',
    proves:
      'API Gateway reads the header as a SigV4 signature and answers through DEFAULT_4XX (its JSON template and headers), not through the 404 the API configures',
    request: (p) => ({
      target: 'api',
      method: 'GET',
      path: UNKNOWN_PATH,
      headers: { Authorization: 'Bearer smoke-token', ...withOrigin(p) },
    }),
    expect: authorizationRefused(MISSING_EQUAL_SIGN),
  },
  {
    id: 'route-unknown-method-bearer',
    title: 'DELETE /{id} with "Authorization: Bearer …": the same 403',
    assumption: 'unknown-route-authorization',
    proves: 'a method /{id} does not define gets the same 403 as an unknown path when it carries the header',
    request: (p) => ({
      target: 'api',
      method: 'DELETE',
      path: itemPath(MISSING_ID),
      headers: { Authorization: 'Bearer smoke-token', ...withOrigin(p) },
    }),
    expect: authorizationRefused(MISSING_EQUAL_SIGN),
  },
  {
    id: 'route-unknown-path-token',
    title: 'an unknown path with a bare "Authorization: token": 403 "Authorization header requires \'Credential\' parameter…"', // biome-ignore format: long title
    assumption: 'unknown-route-authorization',
    proves: 'a header value without a space is refused as a signature missing its parameters',
    request: (p) => ({
      target: 'api',
      method: 'GET',
      path: UNKNOWN_PATH,
      headers: { Authorization: 'smoke-token', ...withOrigin(p) },
    }),
    expect: authorizationRefused(REQUIRES_CREDENTIAL),
  },
  {
    id: 'header-limit',
    title: 'request headers over 10,240 bytes: 431',
    assumption: 'header-limit',
    proves: 'the status API Gateway gives headers over its quota (the emulator assumes 431; no source says)',
    request: () => ({
      target: 'api',
      method: 'GET',
      path: itemPath(MISSING_ID),
      headers: { 'X-Smoke-Padding': HEADER_PADDING },
    }),
    expect: () => [status(431)],
  },
  {
    id: 'cors-preflight-allowed',
    title: "the preflight from an allowed origin: 204, that origin allowed, GET and If-None-Match allowed (and the access mode's headers)", // biome-ignore format: long title
    assumption: 'preflight-mock',
    proves: "the MOCK integration answers the preflight, echoing a listed origin through its mapping template's responseOverride", // biome-ignore format: long line
    skip: needsCors,
    request: (p) => ({
      target: 'api',
      method: 'OPTIONS',
      path: itemPath(MISSING_ID),
      headers: {
        ...withOrigin(p),
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'if-none-match',
      },
    }),
    expect: (p) => [
      status(204),
      header('access-control-allow-origin', allowedOrigin(p.cors ?? [], allowedRequestOrigin(p.cors ?? []))),
      headerLists('access-control-allow-methods', ITEM_METHODS),
      headerLists('access-control-allow-headers', corsAllowedHeaders(modeOf(p))),
      header('access-control-max-age', String(CORS_MAX_AGE_SECONDS)),
      cacheControl(undefined),
      noBody,
    ],
  },
  {
    id: 'cors-preflight-other-origin',
    title: 'the preflight from an origin CORS does not allow: no Access-Control-Allow-Origin for it',
    assumption: 'preflight-mock',
    proves: 'the preflight never reflects an origin that is not configured',
    skip: needsCors,
    request: () => ({
      target: 'api',
      method: 'OPTIONS',
      path: itemPath(MISSING_ID),
      headers: { Origin: OTHER_ORIGIN, 'Access-Control-Request-Method': 'GET' },
    }),
    expect: (p) => [
      status(204),
      header('access-control-allow-origin', allowedOrigin(p.cors ?? [], OTHER_ORIGIN)),
    ],
  },
  {
    id: 'cors-function-answer',
    title: "the function's answer to an allowed origin: that origin allowed, ETag and Retry-After exposed",
    assumption: 'proxy-relays-result',
    proves:
      "the function's CORS headers reach the page, so a script can read the ETag and a 503's Retry-After",
    skip: both(needsCors, needsPublic),
    request: (p) => ({ target: 'api', method: 'GET', path: itemPath(MISSING_ID), headers: withOrigin(p) }),
    expect: (p) => [
      status(404),
      functionError,
      header('access-control-allow-origin', allowedOrigin(p.cors ?? [], allowedRequestOrigin(p.cors ?? []))),
      headerLists('access-control-expose-headers', CORS_EXPOSED_HEADERS),
      header('vary', p.cors === '*' ? undefined : 'Origin'),
    ],
  },
  {
    id: 'cors-gateway-answer',
    title: "the gateway's own 404 to an allowed origin: its configured CORS headers, no-store",
    assumption: 'gateway-response-headers',
    proves: "gateway responses carry the headers the API configures (the origin only for '*' or one origin)",
    skip: both(needsCors, notIam),
    request: (p) => ({ target: 'api', method: 'GET', path: UNKNOWN_PATH, headers: withOrigin(p) }),
    expect: (p) => [
      status(404),
      gatewayMessage('Not found'),
      cacheControl(ERROR_CACHE_CONTROL),
      ...gatewayCors(p),
    ],
  },
  {
    id: 'access-key-missing',
    title: 'api-key mode, no x-api-key: 403 {"message":"Forbidden"}, JSON, no-store',
    assumption: 'api-key-refused',
    proves:
      'the methods require a key, and INVALID_API_KEY answers through DEFAULT_4XX (its JSON template and headers)',
    skip: needsMode('api-key'),
    request: (p) => ({ target: 'api', method: 'GET', path: itemPath(MISSING_ID), headers: withOrigin(p) }),
    expect: (p) => [
      status(403),
      gatewayMessage('Forbidden'),
      cacheControl(ERROR_CACHE_CONTROL),
      ...gatewayCors(p),
    ],
  },
  {
    id: 'access-key-unknown',
    title: 'api-key mode, a key the API does not know: the same 403',
    assumption: 'api-key-refused',
    proves: 'an unknown key is refused like a missing one, before the function',
    skip: needsMode('api-key'),
    request: (p) => ({
      target: 'api',
      method: 'HEAD',
      path: itemPath(MISSING_ID),
      headers: { 'x-api-key': UNKNOWN_API_KEY, ...withOrigin(p) },
    }),
    expect: (p) => [status(403), cacheControl(ERROR_CACHE_CONTROL), ...gatewayCors(p), noBody],
  },
  {
    id: 'access-iam-unsigned',
    title: 'iam mode, unsigned: 403 {"message":"Missing Authentication Token"}, JSON, no-store',
    assumption: 'iam-unsigned',
    proves:
      "the methods require a signature, and MISSING_AUTHENTICATION_TOKEN stays AWS's 403 with the configured headers",
    skip: needsMode('iam'),
    request: (p) => ({ target: 'api', method: 'GET', path: itemPath(MISSING_ID), headers: withOrigin(p) }),
    expect: (p) => [
      status(403),
      gatewayMessage('Missing Authentication Token'),
      cacheControl(ERROR_CACHE_CONTROL),
      ...gatewayCors(p),
    ],
  },
  {
    id: 'access-iam-unknown-route',
    title: 'iam mode, an unknown path: the same 403, not the JSON 404',
    assumption: 'iam-unsigned',
    proves: 'an unsigned caller cannot tell which routes exist',
    skip: needsMode('iam'),
    request: () => ({ target: 'api', method: 'GET', path: UNKNOWN_PATH }),
    expect: () => [
      status(403),
      gatewayMessage('Missing Authentication Token'),
      cacheControl(ERROR_CACHE_CONTROL),
    ],
  },
  {
    id: 'execute-api-refused',
    title: 'the execute-api URL, turned off: 403',
    assumption: 'execute-api-disabled',
    proves:
      'clients cannot bypass the custom domain (and its WAF): the switch took effect on the deployed stage',
    skip: (p) => (p.executeApi?.disabled ? undefined : 'the execute-api URL is not turned off here'),
    request: () => ({ target: 'execute-api', method: 'GET', path: itemPath(MISSING_ID) }),
    expect: () => [status(403)],
  },
  {
    id: 'execute-api-serves',
    title: "the execute-api URL, left on beside a custom domain: the function's 404",
    assumption: 'execute-api-disabled',
    proves: 'the stage still serves on its own URL when the environment keeps it on',
    skip: both(
      (p) =>
        p.executeApi === undefined || p.executeApi.disabled
          ? 'no execute-api URL apart from the API URL, or it is turned off'
          : undefined,
      needsPublic,
    ),
    request: () => ({ target: 'execute-api', method: 'GET', path: itemPath(MISSING_ID) }),
    expect: () => [status(404), functionError],
  },
] as const satisfies readonly ConformanceCase[];

export type CaseId = (typeof CONFORMANCE_CASES)[number]['id'];
