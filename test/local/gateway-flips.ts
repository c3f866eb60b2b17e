import type { CaseId } from '../../.github/scripts/lib/conformance-cases';
import {
  type Flip,
  gatewayAnswer,
  type ProxiedRequest,
  type ProxiedResponse,
} from '../support/flipping-gateway';

/**
 * For each conformance case, a way API Gateway could plausibly differ from what the emulator
 * assumes that the case must catch: the smoke test is only worth running after a deploy if each
 * of these fails it. `config` picks the local stack to put the flipped gateway in front of.
 */

export type StackConfig =
  | 'no CORS'
  | 'one origin'
  | 'a list of origins, max-age'
  | 'any origin'
  | 'api keys, one origin'
  | 'iam, one origin';

const withoutHeader = (res: ProxiedResponse, name: string): ProxiedResponse => {
  const { [name]: _, ...headers } = res.headers;
  return { ...res, headers };
};

const isGatewayNotFound = (res: ProxiedResponse) =>
  res.status === 404 && res.body.toString() === '{"message":"Not found"}';

/** Decodes every %XX but %2F: the path parameter as a gateway that decodes it before the function would pass it. */
const decodeExceptSlash = (path: string) =>
  path.replace(/%(?!2F)([0-9A-F]{2})/gi, (encoded, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    // Left encoded when decoding would make it a delimiter of the request target.
    return /[?#/]/.test(char) ? encoded : char;
  });

const method = (req: ProxiedRequest, m: string) => req.method === m;

const NO_STORE = { 'cache-control': 'no-store' };

export const FLIPS: Partial<Record<CaseId, { config: StackConfig; flip: Flip }>> = {
  'item-get': {
    config: 'no CORS',
    flip: {
      means: "the function's headers do not reach the client (its ETag is dropped)",
      response: (res) => withoutHeader(res, 'etag'),
    },
  },
  'item-head': {
    config: 'no CORS',
    flip: {
      means: 'HEAD never reaches the function and is answered as a method the API does not define',
      request: (req) =>
        method(req, 'HEAD') ? gatewayAnswer(404, 'Not found', { 'cache-control': 'no-store' }) : req,
    },
  },
  'item-not-modified': {
    config: 'no CORS',
    flip: {
      means: 'If-None-Match does not reach the function, so it never answers 304',
      request: (req) => {
        const { 'if-none-match': _, ...headers } = req.headers;
        return { ...req, headers };
      },
    },
  },
  'item-missing': {
    config: 'no CORS',
    flip: {
      means: "the function's Cache-Control does not reach the client",
      response: (res, req) =>
        method(req, 'GET') && res.status === 404 ? withoutHeader(res, 'cache-control') : res,
    },
  },
  'id-oversized': {
    config: 'no CORS',
    flip: {
      means: 'API Gateway refuses a long URL itself (414) before the function sees it',
      request: (req) => (req.path.length > 1000 ? gatewayAnswer(414, 'Request-URI Too Long') : req),
    },
  },
  'id-decoded-once': {
    config: 'no CORS',
    flip: {
      means: 'API Gateway decodes the path parameter before the function (so it is decoded twice)',
      request: (req) => ({ ...req, path: decodeExceptSlash(req.path) }),
    },
  },
  'id-encoded-slash': {
    config: 'no CORS',
    flip: {
      means: 'API Gateway routes on the decoded path, so /a%2Fb is two segments',
      request: (req) => ({ ...req, path: req.path.replace(/%2F/gi, '/') }),
    },
  },
  'route-unknown-path': {
    config: 'no CORS',
    flip: {
      means: 'MISSING_AUTHENTICATION_TOKEN keeps its default 403 "Missing Authentication Token"',
      response: (res) => (isGatewayNotFound(res) ? gatewayAnswer(403, 'Missing Authentication Token') : res),
    },
  },
  'route-unknown-method': {
    config: 'no CORS',
    flip: {
      means: 'a method /{id} does not define reaches the function',
      request: (req) => (method(req, 'DELETE') ? { ...req, method: 'GET' } : req),
    },
  },
  'route-options-without-cors': {
    config: 'no CORS',
    flip: {
      means: 'API Gateway answers OPTIONS itself even without a preflight method (a 204)',
      request: (req) => (method(req, 'OPTIONS') ? { status: 204, headers: {}, body: Buffer.alloc(0) } : req),
    },
  },
  'route-unknown-path-bearer': {
    config: 'one origin',
    flip: {
      means: 'the Authorization header is ignored on an unknown route, which then gets the 404',
      request: (req) => {
        const { authorization: _, ...headers } = req.headers;
        return { ...req, headers };
      },
    },
  },
  'route-unknown-method-bearer': {
    config: 'one origin',
    flip: {
      means: "the 403 goes through a response type without DEFAULT_4XX's headers (no no-store, no CORS)",
      response: (res) => (res.status === 403 ? withoutHeader(withoutHeader(res, 'cache-control'), 'access-control-allow-origin') : res), // biome-ignore format: long line
    },
  },
  'route-unknown-path-token': {
    config: 'no CORS',
    flip: {
      means: 'a bare token is refused with the missing-equal-sign message too',
      response: (res, req) =>
        res.status === 403 && !req.headers.authorization?.includes(' ')
          ? gatewayAnswer(403, `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): 'x'.`, { 'cache-control': 'no-store' }) // biome-ignore format: long line
          : res,
    },
  },
  'header-limit': {
    config: 'no CORS',
    flip: {
      means: 'API Gateway answers oversized headers with 400, not 431',
      response: (res) => (res.status === 431 ? gatewayAnswer(400, 'Bad Request') : res),
    },
  },
  'cors-preflight-allowed': {
    config: 'a list of origins, max-age',
    flip: {
      means: "the MOCK integration's responseOverride does not set Access-Control-Allow-Origin",
      response: (res, req) =>
        method(req, 'OPTIONS') ? withoutHeader(res, 'access-control-allow-origin') : res,
    },
  },
  'cors-preflight-other-origin': {
    config: 'a list of origins, max-age',
    flip: {
      means: 'the preflight reflects any Origin',
      response: (res, req) =>
        method(req, 'OPTIONS') && req.headers.origin
          ? { ...res, headers: { ...res.headers, 'access-control-allow-origin': req.headers.origin } }
          : res,
    },
  },
  'cors-function-answer': {
    config: 'a list of origins, max-age',
    flip: {
      means: 'the function exposes only the ETag (Retry-After hidden from pages)',
      response: (res) =>
        res.headers['access-control-expose-headers']
          ? { ...res, headers: { ...res.headers, 'access-control-expose-headers': 'ETag' } }
          : res,
    },
  },
  'cors-gateway-answer': {
    config: 'one origin',
    flip: {
      means: 'gateway responses lose their configured CORS headers',
      response: (res) => (isGatewayNotFound(res) ? withoutHeader(res, 'access-control-allow-origin') : res),
    },
  },
  'access-key-missing': {
    config: 'api keys, one origin',
    flip: {
      means: "a missing key is answered through MISSING_AUTHENTICATION_TOKEN, the API's JSON 404",
      request: (req) => (req.headers['x-api-key'] ? req : gatewayAnswer(404, 'Not found', NO_STORE)),
    },
  },
  'access-key-unknown': {
    config: 'api keys, one origin',
    flip: {
      means: "an unknown key's 403 goes through a response type without DEFAULT_4XX's headers (no no-store)",
      response: (res, req) =>
        req.headers['x-api-key'] && res.status === 403 ? withoutHeader(res, 'cache-control') : res,
    },
  },
  'access-iam-unsigned': {
    config: 'iam, one origin',
    flip: {
      means: "MISSING_AUTHENTICATION_TOKEN stays the API's JSON 404 in iam mode, so an unsigned call gets it",
      response: (res) =>
        res.status === 403 && res.body.toString().includes('Missing Authentication Token')
          ? gatewayAnswer(404, 'Not found', NO_STORE)
          : res,
    },
  },
  'access-iam-unknown-route': {
    config: 'iam, one origin',
    flip: {
      means: 'an unknown route still gets the JSON 404 in iam mode, telling callers which routes exist',
      request: (req) => (req.path.startsWith('/smoke/') ? gatewayAnswer(404, 'Not found', NO_STORE) : req),
    },
  },
};
