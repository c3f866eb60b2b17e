import type { IncomingMessage } from 'node:http';
import type { UsagePlanSettings } from '#shared/access';
import type { GatewayResponse } from './gateway-responses';
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

/**
 * An answer API Gateway gives instead of calling the function: one of its own answers
 * (local/gateway-responses.ts), with the message when it depends on the request.
 */
export interface AccessRefusal {
  readonly kind: AccessAnswer;
  readonly message?: string;
}

type AccessAnswer = Extract<
  GatewayResponse,
  'invalidApiKey' | 'keyThrottled' | 'quotaExceeded' | 'missingAuthenticationToken' | 'signatureRejected'
>;

/**
 * Decides one request to `/{id}` before the function sees it. A route the API does not define is
 * answered before this (local/handle-request.ts), as API Gateway answers it before any key or
 * signature is looked at.
 */
export type AccessCheck = (req: IncomingMessage, body: Buffer) => Promise<AccessRefusal | undefined>;

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
  return async (req) => {
    const value = lastHeader(req.rawHeaders, 'x-api-key');
    if (value === undefined || !byValue.has(value)) return { kind: 'invalidApiKey' };
    const verdict = limits.get(value)?.take(now()) ?? 'allowed';
    if (verdict === 'throttled') return { kind: 'keyThrottled' };
    if (verdict === 'quota exceeded') return { kind: 'quotaExceeded' };
    return undefined;
  };
}

function iamCheck(credentials: Credentials, region: string, now: () => number): AccessCheck {
  const verify = createSigV4Verifier(credentials, region, now);
  return async (req, body) => {
    if (req.headers.authorization === undefined) return { kind: 'missingAuthenticationToken' };
    const problem = await verify(req, body);
    return problem && { kind: 'signatureRejected', message: problem.message };
  };
}
