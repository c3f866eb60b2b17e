import type { ProbeResponse } from './http-probe';

/**
 * Small checks on one answer, each returning what is wrong with it, or undefined. The conformance
 * cases (./conformance-cases.ts) are lists of these.
 */
export type Check = (response: ProbeResponse) => string | undefined;

const snippet = (text: string) => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text);

export const status =
  (...expected: number[]): Check =>
  (r) =>
    expected.includes(r.status)
      ? undefined
      : `expected ${expected.join(' or ')}, got ${r.status}: ${snippet(r.body)}`;

/** A header's value, or its absence when `expected` is undefined; a RegExp matches the value. */
export const header =
  (name: string, expected: string | RegExp | undefined): Check =>
  (r) => {
    const value = r.headers.get(name);
    if (expected === undefined) return value === null ? undefined : `expected no ${name}, got "${value}"`;
    if (value === null) return `expected ${name} ${expected instanceof RegExp ? `matching ${expected}` : `"${expected}"`}, got none`; // biome-ignore format: long line
    const ok = expected instanceof RegExp ? expected.test(value) : value === expected;
    return ok ? undefined : `expected ${name} ${expected instanceof RegExp ? `matching ${expected}` : `"${expected}"`}, got "${value}"`; // biome-ignore format: long line
  };

export const cacheControl = (expected: string | undefined): Check => header('cache-control', expected);

/** A comma-separated header lists these members (in any order and case). */
export const headerLists =
  (name: string, members: readonly string[]): Check =>
  (r) => {
    const listed = (r.headers.get(name) ?? '').split(',').map((m) => m.trim().toLowerCase());
    const missing = members.filter((m) => !listed.includes(m.toLowerCase()));
    return missing.length === 0 ? undefined : `expected ${name} to list ${missing.join(', ')}, got "${r.headers.get(name) ?? ''}"`; // biome-ignore format: long line
  };

export const noBody: Check = (r) => (r.body === '' ? undefined : `expected no body, got ${snippet(r.body)}`);

const JSON_TYPE = /^application\/json\b/i;

function parsedJson(r: ProbeResponse): { value?: unknown; problem?: string } {
  const type = r.headers.get('content-type') ?? '';
  if (!JSON_TYPE.test(type)) return { problem: `expected a JSON Content-Type, got "${type}"` };
  try {
    return { value: JSON.parse(r.body) };
  } catch {
    return {
      problem: `${r.truncated ? 'the first bytes of the body are' : 'body is'} not JSON: ${snippet(r.body)}`,
    };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A JSON object; of a body cut at the size cap, only that it opens an object. */
export const jsonObject: Check = (r) => {
  if (r.truncated) {
    return JSON_TYPE.test(r.headers.get('content-type') ?? '') && r.body.trimStart().startsWith('{')
      ? undefined
      : `expected a JSON object, got ${snippet(r.body)}`;
  }
  const { value, problem } = parsedJson(r);
  return problem ?? (isObject(value) ? undefined : `expected a JSON object, got ${snippet(r.body)}`);
};

/** `{"message": …}` and nothing else: an answer API Gateway gave by itself, before any function ran. */
export const gatewayMessage =
  (message: string | RegExp): Check =>
  (r) => {
    const { value, problem } = parsedJson(r);
    if (problem) return problem;
    if (!isObject(value) || typeof value.message !== 'string' || Object.keys(value).length !== 1) {
      return `expected API Gateway's {"message": …} with nothing else, got ${snippet(r.body)}`;
    }
    const ok = message instanceof RegExp ? message.test(value.message) : value.message === message;
    return ok ? undefined : `expected the message ${message instanceof RegExp ? `to match ${message}` : JSON.stringify(message)}, got ${JSON.stringify(value.message)}`; // biome-ignore format: long line
  };

/** `{"message", "requestId"}`: an error the function answered, so the request reached it. */
export const functionError: Check = (r) => {
  const { value, problem } = parsedJson(r);
  if (problem) return problem;
  return isObject(value) && typeof value.message === 'string' && typeof value.requestId === 'string'
    ? undefined
    : `expected the function's {"message","requestId"}, got ${snippet(r.body)} (no requestId: API Gateway answered, not the function)`; // biome-ignore format: long line
};

/** A strong ETag, equal to `same` when given. */
export const strongETag =
  (same?: string | null): Check =>
  (r) => {
    const etag = r.headers.get('etag');
    if (etag === null || !/^"[^"]*"$/.test(etag)) return `expected a strong ETag, got ${etag ?? 'none'}`;
    return same && etag !== same ? `expected the GET's ETag ${same}, got ${etag}` : undefined;
  };

/**
 * The first check that fails, in order: cases put the status first, so a wrong status is reported
 * alone rather than with everything that follows from it.
 */
export function firstProblem(checks: readonly Check[], response: ProbeResponse): string | undefined {
  for (const check of checks) {
    const problem = check(response);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
