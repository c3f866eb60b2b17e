import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { MAX_ID_BYTES } from '#handler/src/key-schema';

/**
 * `npm run smoke -- --url <api_url>` (or API_URL, or --outputs-file): checks the live contract of a
 * deployed or local API with three requests. A known id answers 200 with a JSON object, a missing
 * id 404 with a JSON message, an id over 1,024 bytes 400 with a JSON message. Exits 1 otherwise.
 */

export const DEFAULT_ITEM_ID = 'hello';
/** One byte over the handler's limit on the UTF-8 length of an id. */
export const OVERSIZED_ID = 'x'.repeat(MAX_ID_BYTES + 1);

export interface SmokeOptions {
  /** The API base URL (the `api_url` output), without the id. */
  readonly baseUrl: string;
  /** An id that exists; undefined skips the 200 check (e.g. prod, where CI seeds nothing). */
  readonly itemId?: string;
  readonly fetch?: typeof fetch;
  /**
   * Tries per check while the answer is a 5xx or a network error: a stage just deployed can take
   * seconds to serve.
   * @default 1
   */
  readonly attempts?: number;
  /** @default 2000 */
  readonly retryDelayMs?: number;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

export interface SmokeCheck {
  readonly name: string;
  readonly url: string;
  readonly expectedStatus: number;
  readonly status?: number;
  readonly ok: boolean;
  readonly skipped?: boolean;
  /** Why the check failed, or why it was skipped. */
  readonly problem?: string;
}

export interface SmokeResult {
  readonly ok: boolean;
  readonly checks: readonly SmokeCheck[];
}

interface Expectation {
  readonly name: string;
  readonly id: string;
  readonly status: number;
  /** Extra check on the parsed JSON body; returns the problem, if any. */
  readonly body: (body: unknown) => string | undefined;
}

const isObject = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body);

const anObject = (body: unknown) => (isObject(body) ? undefined : 'body is not a JSON object');
const aMessage = (body: unknown) =>
  isObject(body) && typeof body.message === 'string' && body.message !== ''
    ? undefined
    : 'body is not a JSON object with a "message" string';

export function itemUrl(baseUrl: string, id: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(id)}`;
}

export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const expectations: Expectation[] = [
    { name: 'missing id', id: `smoke-missing-${randomUUID()}`, status: 404, body: aMessage },
    { name: 'oversized id (1,025 bytes)', id: OVERSIZED_ID, status: 400, body: aMessage },
  ];
  const checks: SmokeCheck[] = [];
  if (options.itemId === undefined) {
    checks.push({
      name: 'known id',
      url: itemUrl(options.baseUrl, '<none>'),
      expectedStatus: 200,
      ok: true,
      skipped: true,
      problem: 'no known item id given (SMOKE_ITEM_ID), so the 200 check was skipped',
    });
  } else {
    expectations.unshift({
      name: `known id "${options.itemId}"`,
      id: options.itemId,
      status: 200,
      body: anObject,
    });
  }
  for (const expectation of expectations) checks.push(await check(expectation, options));
  return { ok: checks.every((c) => c.ok), checks };
}

async function check(expectation: Expectation, options: SmokeOptions): Promise<SmokeCheck> {
  const url = itemUrl(options.baseUrl, expectation.id);
  const attempts = Math.max(1, options.attempts ?? 1);
  const base = { name: expectation.name, url, expectedStatus: expectation.status };
  let last: SmokeCheck = { ...base, ok: false, problem: 'not attempted' };

  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 2000));
    let response: Response;
    try {
      response = await (options.fetch ?? fetch)(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      last = {
        ...base,
        ok: false,
        problem: `request failed: ${error instanceof Error ? error.message : error}`,
      };
      continue;
    }
    const text = await response.text();
    last = { ...base, status: response.status, ...judge(expectation, response, text) };
    if (last.ok || response.status < 500) break;
  }
  return last;
}

function judge(
  expectation: Expectation,
  response: Response,
  text: string,
): { ok: boolean; problem?: string } {
  const snippet = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  if (response.status !== expectation.status) {
    return { ok: false, problem: `expected ${expectation.status}, got ${response.status}: ${snippet}` };
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    return { ok: false, problem: `expected a JSON content-type, got "${contentType}"` };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, problem: `body is not JSON: ${snippet}` };
  }
  const problem = expectation.body(body);
  return problem === undefined ? { ok: true } : { ok: false, problem: `${problem}: ${snippet}` };
}

/**
 * `api_url` from `terraform output -json` (`{ api_url: { value } }`) or from `cdktf output
 * --outputs-file` (`{ <stack>: { api_url } }`).
 */
export function apiUrlFromOutputs(outputs: unknown, stack?: string): string {
  if (!isObject(outputs)) throw new Error('the outputs file does not hold a JSON object');
  const direct = outputs.api_url;
  if (isObject(direct) && typeof direct.value === 'string') return direct.value;
  if (typeof direct === 'string') return direct;
  const stacks = Object.entries(outputs).filter(
    ([name, value]) => (stack === undefined || name === stack) && isObject(value),
  );
  const urls = stacks.flatMap(([, value]) => {
    const url = (value as Record<string, unknown>).api_url;
    return typeof url === 'string' ? [url] : [];
  });
  if (urls.length === 1 && urls[0] !== undefined) return urls[0];
  if (urls.length > 1) throw new Error('the outputs file has several stacks with api_url; pass --stack');
  throw new Error(`the outputs file has no api_url output${stack ? ` for stack ${stack}` : ''}`);
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string' },
      'outputs-file': { type: 'string' },
      stack: { type: 'string' },
      'item-id': { type: 'string' },
      'skip-known-id': { type: 'boolean', default: false },
      attempts: { type: 'string', default: '1' },
    },
  });
  const outputsFile = values['outputs-file'];
  const baseUrl =
    values.url ??
    env.API_URL ??
    (outputsFile
      ? apiUrlFromOutputs(JSON.parse(readFileSync(outputsFile, 'utf8')), values.stack)
      : undefined);
  if (!baseUrl) throw new Error('no API URL: pass --url, set API_URL, or pass --outputs-file');

  // An empty SMOKE_ITEM_ID (an unset GitHub variable) means "no known item", like --skip-known-id.
  const itemId = values['skip-known-id']
    ? undefined
    : (values['item-id'] ??
      (env.SMOKE_ITEM_ID === undefined ? DEFAULT_ITEM_ID : env.SMOKE_ITEM_ID || undefined));

  console.log(`Smoke test of ${baseUrl}`);
  const result = await runSmoke({ baseUrl, itemId, attempts: Number(values.attempts) || 1 });
  for (const c of result.checks) {
    const mark = c.skipped ? '-' : c.ok ? '✔' : '✘';
    const detail = c.skipped || !c.ok ? ` — ${c.problem}` : '';
    console.log(
      `${mark} ${c.name}: expected ${c.expectedStatus}${c.status ? `, got ${c.status}` : ''}${detail}`,
    );
  }
  if (!result.ok) {
    console.error(
      `Smoke test FAILED: ${result.checks.filter((c) => !c.ok).length} check(s) broke the API contract.`,
    );
    return 1;
  }
  console.log('Smoke test passed.');
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`Smoke test could not run: ${error instanceof Error ? error.message : error}`);
      process.exitCode = 2;
    },
  );
}
