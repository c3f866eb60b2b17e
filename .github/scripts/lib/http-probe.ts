/**
 * One request of the post-deploy smoke test, made so that it can neither pass what it should fail
 * nor fail for the wrong reason: a redirect is never followed (API Gateway never redirects, so a
 * 3xx other than 304 means a wrong URL or domain), no more than `maxBodyBytes` of a body is read, a failure while
 * reading the body counts as a failed attempt like a refused connection, and every failure to get
 * an answer says why (the error's cause: ECONNREFUSED, ENOTFOUND, a timeout…).
 */

export interface ProbeRequest {
  readonly url: string;
  readonly method: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ProbeResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The body, or its first `maxBodyBytes`. */
  readonly body: string;
  /** True when the body was longer than `maxBodyBytes` and reading stopped there. */
  readonly truncated: boolean;
}

/** What a probe came back with, after its attempts. */
export type ProbeOutcome =
  | { readonly kind: 'answered'; readonly response: ProbeResponse; readonly attempts: number }
  | {
      readonly kind: 'redirected';
      readonly status: number;
      readonly location: string;
      readonly attempts: number;
    }
  | { readonly kind: 'unreachable'; readonly cause: string; readonly attempts: number };

export interface ProbeOptions {
  readonly fetch?: typeof fetch;
  /**
   * Tries while there is no answer (refused, reset, timed out, a body cut short) or the answer is
   * a 5xx: a stage just deployed can take seconds to serve.
   * @default 1
   */
  readonly attempts?: number;
  /** @default 2000 */
  readonly retryDelayMs?: number;
  /** Per attempt, headers and body together. @default 10000 */
  readonly timeoutMs?: number;
  /** @default 16384 */
  readonly maxBodyBytes?: number;
}

export const PROBE_DEFAULTS = {
  attempts: 1,
  retryDelayMs: 2000,
  timeoutMs: 10_000,
  maxBodyBytes: 16_384,
} as const;

export async function probe(request: ProbeRequest, options: ProbeOptions = {}): Promise<ProbeOutcome> {
  const attempts = Math.max(1, options.attempts ?? PROBE_DEFAULTS.attempts);
  let last: ProbeOutcome = { kind: 'unreachable', cause: 'not attempted', attempts: 0 };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(options.retryDelayMs ?? PROBE_DEFAULTS.retryDelayMs);
    last = { ...(await attemptOnce(request, options)), attempts: attempt };
    if (last.kind === 'redirected') break;
    if (last.kind === 'answered' && last.response.status < 500) break;
  }
  return last;
}

type Attempt =
  | { kind: 'answered'; response: ProbeResponse }
  | { kind: 'redirected'; status: number; location: string }
  | { kind: 'unreachable'; cause: string };

async function attemptOnce(request: ProbeRequest, options: ProbeOptions): Promise<Attempt> {
  const timeoutMs = options.timeoutMs ?? PROBE_DEFAULTS.timeoutMs;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(request.url, {
      method: request.method,
      headers: request.headers,
      redirect: 'manual',
      signal,
    });
  } catch (error) {
    return { kind: 'unreachable', cause: describeFailure(error, timeoutMs) };
  }
  if (isRedirect(response.status)) {
    await response.body?.cancel().catch(() => {});
    return {
      kind: 'redirected',
      status: response.status,
      location: response.headers.get('location') ?? '(none)',
    };
  }
  try {
    const { body, truncated } = await readCapped(
      response,
      options.maxBodyBytes ?? PROBE_DEFAULTS.maxBodyBytes,
    );
    return {
      kind: 'answered',
      response: { status: response.status, headers: response.headers, body, truncated },
    };
  } catch (error) {
    return {
      kind: 'unreachable',
      cause: `answered ${response.status}, then the body failed: ${describeFailure(error, timeoutMs)}`,
    };
  }
}

/** Reads at most `maxBytes` of the body, then cancels the rest, so a huge or endless body costs nothing. */
async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ body: string; truncated: boolean }> {
  if (!response.body) return { body: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - size;
    chunks.push(value.subarray(0, Math.max(0, room)));
    size += Math.min(value.length, Math.max(0, room));
    if (value.length > room) {
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return { body: new TextDecoder().decode(Buffer.concat(chunks)), truncated };
}

/** Why a request got no answer: a timeout, or the innermost cause's code and message. */
export function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${timeoutMs} ms`;
  }
  const chain: unknown[] = [];
  for (let current: unknown = error; current instanceof Error && chain.length < 5; current = current.cause) {
    chain.push(current);
  }
  const innermost = (chain.at(-1) ?? error) as { code?: unknown; message?: unknown };
  const code = chain.map((e) => (e as { code?: unknown }).code).findLast((c) => typeof c === 'string');
  const message = typeof innermost.message === 'string' ? innermost.message : String(error);
  if (chain.some((e) => (e as Error).name === 'TimeoutError')) return `timed out after ${timeoutMs} ms`;
  return code && !message.includes(String(code)) ? `${code}: ${message}` : message;
}

/** Every 3xx but 304, which answers a conditional request and redirects nowhere. */
const isRedirect = (status: number) => status >= 300 && status < 400 && status !== 304;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
