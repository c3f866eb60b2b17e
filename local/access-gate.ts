import type { IncomingMessage } from 'node:http';
import type { UsagePlanSettings } from '#shared/access';
import { lastHeader } from './incoming-request';
import { type Credentials, createSigV4Verifier } from './sigv4-verifier';
import { UsageLimits } from './usage-limits';

/**
 * Who may call the local API, as `api.access` makes the deployed one decide (infra/rest-api.ts):
 * nobody is checked in public mode; in api-key mode a known `x-api-key` is needed, counted against
 * its plan; in iam mode a SigV4 signature by the one local caller. Network limits (source CIDRs, a
 * private endpoint) are not emulated: every local call comes from loopback.
 */

export interface LocalApiKey {
  /** The consumer's name, as in `api.access.consumers`. */
  readonly name: string;
  readonly value: string;
  /** The consumer's plan; none means no limits but the key itself. */
  readonly plan?: UsagePlanSettings;
}

export type LocalAccess =
  | { readonly mode: 'public' }
  | { readonly mode: 'api-key'; readonly keys: readonly LocalApiKey[] }
  | { readonly mode: 'iam'; readonly credentials: Credentials; readonly region: string };

/** An answer API Gateway gives instead of calling the function: its response type, status and message. */
export interface AccessRefusal {
  readonly type: string;
  readonly status: number;
  readonly message: string;
}

/** Decides one request before the function sees it; `knownRoute` is whether `/{id}` and the method exist. */
export type AccessCheck = (
  req: IncomingMessage,
  knownRoute: boolean,
  body: Buffer,
) => Promise<AccessRefusal | undefined>;

export const ACCESS_REFUSALS = {
  invalidApiKey: { type: 'INVALID_API_KEY', status: 403, message: 'Forbidden' },
  throttled: { type: 'THROTTLED', status: 429, message: 'Too Many Requests' },
  quotaExceeded: { type: 'QUOTA_EXCEEDED', status: 429, message: 'Limit Exceeded' },
  missingAuthenticationToken: {
    type: 'MISSING_AUTHENTICATION_TOKEN',
    status: 403,
    message: 'Missing Authentication Token',
  },
} as const satisfies Record<string, AccessRefusal>;

/** The check for an access setting; undefined in public mode, where there is nothing to check. */
export function createAccessCheck(
  access: LocalAccess,
  now: () => number = Date.now,
): AccessCheck | undefined {
  if (access.mode === 'api-key') return apiKeyCheck(access.keys, now);
  if (access.mode === 'iam') return iamCheck(access.credentials, access.region, now);
  return undefined;
}

function apiKeyCheck(keys: readonly LocalApiKey[], now: () => number): AccessCheck {
  const byValue = new Map(keys.map((key) => [key.value, key]));
  const limits = new Map(keys.map((key) => [key.value, key.plan && new UsageLimits(key.plan, now())]));
  return async (req, knownRoute) => {
    // An unknown route is answered before any key is looked at: the JSON 404, as in public mode.
    if (!knownRoute) return undefined;
    const value = lastHeader(req.rawHeaders, 'x-api-key');
    if (value === undefined || !byValue.has(value)) return ACCESS_REFUSALS.invalidApiKey;
    const verdict = limits.get(value)?.take(now()) ?? 'allowed';
    if (verdict === 'throttled') return ACCESS_REFUSALS.throttled;
    if (verdict === 'quota exceeded') return ACCESS_REFUSALS.quotaExceeded;
    return undefined;
  };
}

function iamCheck(credentials: Credentials, region: string, now: () => number): AccessCheck {
  const verify = createSigV4Verifier(credentials, region, now);
  return async (req, knownRoute, body) => {
    // MISSING_AUTHENTICATION_TOKEN covers both an unsigned call and a route the API does not have.
    if (!knownRoute || req.headers.authorization === undefined)
      return ACCESS_REFUSALS.missingAuthenticationToken;
    const problem = await verify(req, body);
    return problem && { type: problem.type, status: 403, message: problem.message };
  };
}
