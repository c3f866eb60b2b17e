import { type AssumptionId, GATEWAY_ASSUMPTIONS } from '#shared/gateway-assumptions';
import {
  type CaseRequest,
  CONFORMANCE_CASES,
  type ConformanceCase,
  type SmokeProfile,
} from './conformance-cases';
import { type ProbeOptions, type ProbeResponse, probe } from './http-probe';
import { firstProblem } from './response-checks';

/**
 * `passed`; `failed`: an answer came, and it contradicts the case's assumption (a redirect counts:
 * API Gateway never sends one); `unreachable`: no answer came, so nothing was learnt about the API;
 * `skipped`: the case does not apply to this environment.
 */
export type CaseOutcome = 'passed' | 'failed' | 'unreachable' | 'skipped';

export interface CaseResult {
  readonly id: string;
  readonly title: string;
  readonly assumption: AssumptionId;
  readonly outcome: CaseOutcome;
  readonly method: string;
  readonly url: string;
  /** The answer's status, when one came. */
  readonly status?: number;
  /** Why it failed, could not reach the API, or was skipped. */
  readonly problem?: string;
  readonly attempts: number;
}

export interface SmokeTarget {
  /** The API URL (`api_url`), without the id. */
  readonly baseUrl: string;
  readonly profile: SmokeProfile;
}

export interface SmokeResult {
  readonly ok: boolean;
  readonly results: readonly CaseResult[];
}

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

function urlOf(target: SmokeTarget, request: CaseRequest): string | undefined {
  const base = request.target === 'execute-api' ? target.profile.executeApi?.url : target.baseUrl;
  return base === undefined ? undefined : join(base, request.path);
}

/** Runs every case, in order, against the target; `cases` narrows the list (tests). */
export async function runConformance(
  target: SmokeTarget,
  options: ProbeOptions = {},
  cases: readonly ConformanceCase[] = CONFORMANCE_CASES,
): Promise<SmokeResult> {
  const earlier = new Map<string, ProbeResponse>();
  const results: CaseResult[] = [];
  for (const conformanceCase of cases) {
    results.push(await runCase(conformanceCase, target, earlier, options));
  }
  return { ok: results.every((r) => r.outcome === 'passed' || r.outcome === 'skipped'), results };
}

async function runCase(
  c: ConformanceCase,
  target: SmokeTarget,
  earlier: Map<string, ProbeResponse>,
  options: ProbeOptions,
): Promise<CaseResult> {
  const { profile } = target;
  const request = c.request(profile, earlier);
  const url = urlOf(target, request);
  const base = { id: c.id, title: c.title, assumption: c.assumption, method: request.method, url: url ?? '(none)' }; // biome-ignore format: long line
  const skipped = c.skip?.(profile) ?? (url === undefined ? 'no execute-api URL is known' : undefined);
  if (skipped !== undefined) return { ...base, outcome: 'skipped', problem: skipped, attempts: 0 };

  const outcome = await probe({ url: base.url, method: request.method, headers: request.headers }, options);
  switch (outcome.kind) {
    case 'unreachable':
      return { ...base, outcome: 'unreachable', problem: outcome.cause, attempts: outcome.attempts };
    case 'redirected':
      return {
        ...base,
        outcome: 'failed',
        status: outcome.status,
        problem: `redirected (${outcome.status}) to Location: ${outcome.location}; API Gateway never redirects, so this URL is not the API (a wrong URL, or a domain pointing elsewhere), and the redirect was not followed`, // biome-ignore format: long message
        attempts: outcome.attempts,
      };
    case 'answered': {
      earlier.set(c.id, outcome.response);
      const problem = firstProblem(c.expect(profile, earlier), outcome.response);
      return {
        ...base,
        outcome: problem === undefined ? 'passed' : 'failed',
        status: outcome.response.status,
        ...(problem !== undefined && { problem }),
        attempts: outcome.attempts,
      };
    }
  }
}

/** The line that says which assumption a failed case contradicts. */
export function contradiction(result: CaseResult): string {
  const assumption = GATEWAY_ASSUMPTIONS[result.assumption];
  return `contradicts assumption ${result.assumption} (${assumption.status}): ${assumption.claim} — ${result.problem}`; // biome-ignore format: long line
}
