import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { type LocalStack, startLocalStack } from '#local/local-stack';
import type { AccessLogEntry } from '#local/rest-api-emulator';
import { REPO_ROOT } from '../support/repo-root';
import { type Browser, findChromium, launchChromium } from './chromium';
import { type PageOrigin, servePageOrigin } from './page-origin';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'items.json');
const KEY = 'br0wserKey0123456789abcdef';

interface Seen {
  readonly status?: number;
  readonly body?: string;
  readonly cacheControl?: string | null;
  readonly blocked?: string;
}

/** fetch() run by the page's own script. */
function fetchFromPage(page: Page, url: string, headers: Record<string, string>) {
  return page.evaluate(
    async ({ url, headers }): Promise<Seen> => {
      try {
        const response = await fetch(url, { headers });
        return {
          status: response.status,
          body: await response.text(),
          cacheControl: response.headers.get('cache-control'),
        };
      } catch (error) {
        return { blocked: String(error) };
      }
    },
    { url, headers },
  );
}

describe('in a real browser: a page on an allowed origin calls an api-key API with its key', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let origin: PageOrigin;
  let page: Page;
  let stack: LocalStack;
  const access: AccessLogEntry[] = [];

  before(async function () {
    const executablePath = findChromium();
    if (!executablePath) {
      if (process.env.REQUIRE_BROWSER === '1') throw new Error('REQUIRE_BROWSER=1, but no Chromium found');
      this.skip();
    }
    origin = await servePageOrigin();
    stack = await startLocalStack({
      port: 0,
      dynamoPort: 0,
      seedFile: FIXTURES,
      corsAllowOrigins: [origin.origin],
      access: {
        mode: 'api-key',
        keys: [{ name: 'browser', value: KEY, plan: { throttle: { rateLimit: 100, burstLimit: 100 } } }],
      },
      onAccess: (entry) => access.push(entry),
      onStackLog: () => {},
    });
    browser = await launchChromium(executablePath as string);
    page = await browser.context.newPage();
    await page.goto(`${origin.origin}/`);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    await origin?.close();
  });

  async function call(headers: Record<string, string>) {
    const start = access.length;
    const seen = await fetchFromPage(page, `${stack.apiUrl}/hello`, headers);
    const made = access.slice(start);
    return {
      seen,
      preflight: made.find((entry) => entry.httpMethod === 'OPTIONS'),
      sent: made.filter((entry) => entry.httpMethod !== 'OPTIONS'),
    };
  }

  it('sends x-api-key after a preflight that allows it, and reads the item', async () => {
    const { seen, preflight, sent } = await call({ 'x-api-key': KEY });
    expect(preflight, 'x-api-key is not CORS-safelisted: the browser asks first').to.include({
      status: 204,
      invokedFunction: false,
    });
    expect(sent.map((entry) => [entry.status, entry.invokedFunction])).to.deep.equal([[200, true]]);
    expect(seen.status).to.equal(200);
    expect(JSON.parse(seen.body ?? '')).to.include({ pk: 'hello' });
  });

  it('reads the 403 {"message":"Forbidden"} of a call without the key or with a wrong one, never cached', async () => {
    for (const headers of [{}, { 'x-api-key': `${KEY}0` }] as Record<string, string>[]) {
      const { seen, sent } = await call(headers);
      expect(sent.map((entry) => [entry.status, entry.invokedFunction])).to.deep.equal([[403, false]]);
      expect(seen).to.deep.equal({ status: 403, body: '{"message":"Forbidden"}', cacheControl: 'no-store' });
    }
  });
});
