/**
 * What the local stack assumes about API Gateway, Lambda and WAF, each with where it comes from and
 * whether a source confirms it. The emulator (local/) names these ids where it relies on one, the
 * post-deploy smoke (.github/scripts/smoke.ts) names the one a live answer contradicts, and
 * docs/api-gateway-assumptions.md explains each (a test keeps that page and this table in step).
 *
 * `confirmed`: AWS documents it, or responses captured from real APIs show it. `unverified`: no
 * source settles it (or sources disagree), so the emulator's answer is a guess until a deploy
 * checks it; `caveat` says which part.
 */

export type AssumptionStatus = 'confirmed' | 'unverified';

export interface GatewayAssumption {
  /** What the emulator does because API Gateway is assumed to do the same. */
  readonly claim: string;
  readonly status: AssumptionStatus;
  /** The part no source settles, or where sources disagree. */
  readonly caveat?: string;
  /** AWS documentation, issue threads, captured responses. */
  readonly sources: readonly string[];
  /** Why no smoke case checks it on the live stage; absent when one does. */
  readonly notCheckedLive?: string;
}

const DOCS = 'https://docs.aws.amazon.com/apigateway/latest/developerguide';

export const GATEWAY_ASSUMPTIONS = {
  'head-reaches-function': {
    claim:
      'HEAD /{id} reaches the Lambda proxy integration as HEAD; the answer keeps its status and headers and has no body.',
    status: 'confirmed',
    sources: [`${DOCS}/set-up-lambda-proxy-integrations.html (httpMethod is the request's method)`],
  },
  'proxy-relays-result': {
    claim:
      "The function's status, headers and body reach the client as returned, a 304 without a body and a conditional request's If-None-Match reaching the function.",
    status: 'confirmed',
    sources: [
      `${DOCS}/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format`,
    ],
  },
  'content-length-remapped': {
    claim:
      "A Content-Length the function returns reaches the client as x-amzn-Remapped-Content-Length; the real one is the body's.",
    status: 'confirmed',
    sources: [`${DOCS}/api-gateway-known-issues.html (headers remapped to x-amzn-Remapped-*)`],
    notCheckedLive: 'the function never sets Content-Length, so there is nothing to remap on the live stage',
  },
  'path-parameter-raw': {
    claim:
      'The {id} path parameter reaches the function still percent-encoded (/%25zz arrives as "%25zz"), so the handler decodes it exactly once.',
    status: 'unverified',
    caveat:
      'captures from real REST APIs show path parameters still encoded, while AWS\'s "important notes" say REST APIs decode URL-encoded request parameters; if AWS decodes, an id containing % is decoded twice',
    sources: [
      'https://github.com/aws/aws-sam-cli/issues/771 (AWS event: pathParameters still encoded)',
      'https://github.com/aws/aws-sam-cli/issues/3524 ("my-id%2F100" in production)',
      'https://github.com/dherault/serverless-offline/issues/265 ("test%7Cid" on AWS)',
      `${DOCS}/api-gateway-known-issues.html ("REST APIs decode URL-encoded request parameters")`,
    ],
  },
  'routing-on-raw-path': {
    claim:
      'Routing matches the raw path: /a%2Fb is one segment and reaches /{id}, while /a/b matches no resource.',
    status: 'confirmed',
    sources: ['https://github.com/aws/aws-sam-cli/issues/3524 (/resource/my-id%2F100 reached the function)'],
  },
  'unknown-route-404': {
    claim:
      'A path or method the API does not define, without an Authorization header, is answered by the MISSING_AUTHENTICATION_TOKEN gateway response, which the API turns into {"message":"Not found"} 404 with its headers.',
    status: 'confirmed',
    sources: [`${DOCS}/supported-gateway-response-types.html (MISSING_AUTHENTICATION_TOKEN)`],
  },
  'unknown-route-authorization': {
    claim:
      'The same request carrying an Authorization header gets 403 with a SigV4 parse error instead: "Invalid key=value pair (missing equal-sign) in Authorization header…" for a "Scheme token" value, "Authorization header requires \'Credential\' parameter…" for a single token; it goes through a response type the API does not customize, so DEFAULT_4XX\'s body template and headers (no-store, CORS) apply.',
    status: 'unverified',
    caveat:
      'the 403 and the message prefixes are confirmed by captures; the response type is not (issue 17\'s research says DEFAULT_4XX, a 2020 comment on aws-cognito-angular-quickstart#50 suggests customizing MISSING_AUTHENTICATION_TOKEN changes it), nor what the "(hashed with SHA-256 …)" tail of newer messages hashes, nor the answer to a complete SigV4-shaped header',
    sources: [
      'https://github.com/serverless/serverless/issues/3205 (Bearer token: "not a valid key=value pair (missing equal-sign)")',
      'https://github.com/aws/chalice/issues/828 (single token on a route not built: "requires \'Credential\' parameter")',
      'https://github.com/amazon-archives/aws-cognito-angular-quickstart/issues/50 ("That error will return for any invalid endpoints")',
      'captures of 2025–2026 in public project notes: 403 {"message":"Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): \'…\'."} for "Authorization: Bearer …" on unmapped paths',
    ],
  },
  'preflight-mock': {
    claim:
      "OPTIONS /{id} is answered by the MOCK integration: 204 with the configured CORS headers, a listed Origin echoed through the integration response's responseOverride.",
    status: 'confirmed',
    sources: [
      `${DOCS}/how-to-mock-integration.html`,
      `${DOCS}/apigateway-override-request-response-parameters.html (responseOverride in an integration response)`,
    ],
  },
  'gateway-response-headers': {
    claim:
      "The gateway responses the API configures (MISSING_AUTHENTICATION_TOKEN, DEFAULT_4XX, DEFAULT_5XX) carry their configured headers: Cache-Control: no-store, and the origin when CORS allows '*' or one origin.",
    status: 'confirmed',
    sources: [`${DOCS}/api-gateway-gatewayResponse-definition.html`],
  },
  'integration-failure': {
    claim:
      'A function that throws, times out, dies or returns a malformed or oversized result is answered 502 {"message":"Internal server error"} through DEFAULT_5XX.',
    status: 'confirmed',
    sources: [
      `${DOCS}/handle-errors-in-lambda-integration.html`,
      'https://zaccharles.medium.com/deep-dive-lambdas-response-payload-size-limit-8aedba9530ed (6,291,556-byte response limit)',
    ],
    notCheckedLive: 'the live function cannot be made to fail on purpose',
  },
  'event-too-large': {
    claim:
      'An event over Lambda\'s 6,291,456-byte request limit is answered 413 {"message":"Request Too Long"} through REQUEST_TOO_LARGE, which AWS does not let an API customize: no no-store, no CORS.',
    status: 'unverified',
    caveat:
      'the limit is measured (Zac Charles) and REQUEST_TOO_LARGE is documented as not customizable, but that this 413 goes through it, its body and its headers come only from captures of other Lambda-backed APIs',
    sources: [
      'https://zaccharles.medium.com/deep-dive-lambdas-request-payload-size-limit-2-2-6350c1ae5577',
      `${DOCS}/supported-gateway-response-types.html ("customization of the 413 REQUEST_TOO_LARGE default gateway response" is not supported; quoted from the Japanese edition in https://zenn.dev/august/articles/67c76de854cb6d)`,
    ],
    notCheckedLive:
      'it needs a 6 MB request body on every deploy; probe it by hand (docs/api-gateway-assumptions.md)',
  },
  'request-too-large': {
    claim:
      'A body over API Gateway\'s 10 MB payload quota is refused before any gateway response: 413 with the plain-text body "HTTP content length exceeded 10485760 bytes." and none of the API\'s headers.',
    status: 'confirmed',
    caveat: 'the Content-Type of that answer is not recorded in the capture',
    sources: [
      `${DOCS}/api-gateway-execution-service-limits-table.html (payload size 10 MB)`,
      'a capture of 2026-10-03 in public project notes (parity probe against a REST API): "413 plain text `HTTP content length exceeded 10485760 bytes.`, no CORS"',
    ],
    notCheckedLive:
      'it needs a 10 MB upload on every deploy; probe it by hand (docs/api-gateway-assumptions.md)',
  },
  'header-limit': {
    claim:
      'Request headers over 10,240 bytes are answered 431 {"message":"Request Header Fields Too Large"} with the gateway responses\' headers.',
    status: 'unverified',
    caveat:
      "the quota is documented (header names, values, line ends and white space: 10,240 bytes; the URL of a regional API: 10,240 characters, apart); no source gives the status, body or headers of the answer, and the emulator counts the request line with the headers, as Node's parser does",
    sources: [`${DOCS}/api-gateway-execution-service-limits-table.html`],
  },
  'execute-api-disabled': {
    claim:
      "With disable_execute_api_endpoint the stage's execute-api URL answers 403 Forbidden, from the first stage update after the flag changes (so the deployment's redeploy trigger includes it).",
    status: 'confirmed',
    caveat: 'the body of that 403 is not documented',
    sources: [`${DOCS}/rest-api-disable-default-endpoint.html`],
  },
  'waf-custom-response': {
    claim:
      "A WAF web ACL rule with a custom response answers with its own status, body and headers, not the API's gateway responses (no JSON message, no no-store, no CORS); a plain Block goes through WAF_FILTERED, which falls back to DEFAULT_4XX.",
    status: 'confirmed',
    sources: [
      `${DOCS}/supported-gateway-response-types.html ("AWS WAF custom responses take precedence over custom gateway responses")`,
    ],
    notCheckedLive: 'no WAF locally, and the smoke sends nothing a web ACL should block',
  },
  'stage-throttling': {
    claim:
      'Over the stage\'s rate or burst, API Gateway answers 429 {"message":"Too Many Requests"} through DEFAULT_4XX; the emulator does not throttle.',
    status: 'confirmed',
    sources: [
      `${DOCS}/api-gateway-request-throttling.html`,
      `${DOCS}/supported-gateway-response-types.html (THROTTLED)`,
    ],
    notCheckedLive: 'provoking it would throttle real clients of the stage',
  },
  'api-key-refused': {
    claim:
      'In api-key mode (apiKeyRequired on GET and HEAD /{id}), a request without x-api-key, or with a key no usage plan of the stage holds, is answered 403 {"message":"Forbidden"} through INVALID_API_KEY, which the API does not customize, so DEFAULT_4XX\'s body template and headers (no-store, CORS) apply. A route the API does not define still gets the JSON 404, before any key is looked at.',
    status: 'unverified',
    caveat:
      'the 403 Forbidden for a missing or unknown key is documented; that a missing key goes through INVALID_API_KEY like an unknown one, and that an unknown route is answered before the key is checked, are not',
    sources: [
      `${DOCS}/api-gateway-api-usage-plans.html`,
      `${DOCS}/supported-gateway-response-types.html (INVALID_API_KEY)`,
      'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden',
    ],
  },
  'usage-plan-limits': {
    claim:
      'Over a key\'s usage-plan rate and burst, API Gateway answers 429 {"message":"Too Many Requests"} (THROTTLED); over the key\'s quota for the period, 429 {"message":"Limit Exceeded"} (QUOTA_EXCEEDED); both through DEFAULT_4XX. The emulator counts per key: a token bucket of rateLimit a second holding burstLimit, checked before the quota, a throttled call not counted against the quota, periods starting 00:00 UTC (weeks on Sunday, months on the 1st).',
    status: 'unverified',
    caveat:
      'the statuses and messages are documented; which limit AWS checks first, whether a throttled call counts against the quota, where periods start, and how its token bucket refills are not, and AWS applies both limits on a best-effort basis, so a few requests over may pass',
    sources: [
      `${DOCS}/api-gateway-api-usage-plans.html ("throttling and quotas are not hard limits, and are applied on a best-effort basis")`,
      `${DOCS}/supported-gateway-response-types.html (THROTTLED, QUOTA_EXCEEDED)`,
      `${DOCS}/api-gateway-request-throttling.html (token bucket)`,
    ],
    notCheckedLive:
      "it would spend a consumer's rate and quota on the live stage, and the smoke holds no key; npm run load -- --access api-key measures the local one",
  },
  'iam-unsigned': {
    claim:
      'In iam mode (AWS_IAM on GET and HEAD /{id}), a request without an Authorization header is answered 403 {"message":"Missing Authentication Token"} through MISSING_AUTHENTICATION_TOKEN. That response type also answers routes the API does not define, so the stack keeps it AWS\'s 403 in iam mode: an unknown route gets the same 403 (not the JSON 404), with no-store and CORS.',
    status: 'confirmed',
    sources: [
      `${DOCS}/supported-gateway-response-types.html (MISSING_AUTHENTICATION_TOKEN)`,
      'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden ("Missing Authentication Token")',
    ],
  },
  'iam-signature': {
    claim:
      'A signed request is verified as SigV4 for execute-api in the stage\'s region, 5 minutes of clock skew either way: a wrong secret or a changed signed part gets 403 "The request signature we calculated does not match the signature you provided…" with the canonical request and string to sign; an old signature 403 "Signature expired: …", one from the future 403 "Signature not yet current: …"; an access key AWS does not know 403 "The security token included in the request is invalid."; all through DEFAULT_4XX (JSON, no-store, CORS).',
    status: 'unverified',
    caveat:
      "the messages and the 5 minutes come from AWS's troubleshooting pages; the exact layout of the canonical request and string to sign in the mismatch message, the response type of each answer, and what a correctly signed call to an unknown route gets are not documented",
    sources: [
      'https://repost.aws/knowledge-center/api-gateway-iam-sigv4-mismatch',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html (Signature expired, not yet current)',
      'https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden (The security token included in the request is invalid)',
    ],
    notCheckedLive:
      "the smoke signs nothing: its only AWS credentials are the deploy role's, which no resource policy names",
  },
} as const satisfies Record<string, GatewayAssumption>;

export type AssumptionId = keyof typeof GATEWAY_ASSUMPTIONS;

export function assumption(id: AssumptionId): GatewayAssumption {
  return GATEWAY_ASSUMPTIONS[id];
}
