import path from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { HANDLER_BUNDLE } from '#handler/bundle';
import { localFunctionEnv } from '#local/local-dynamodb';
import { LocalFunction } from '#local/local-function';
import { type LocalStack, startLocalStack } from '#local/local-stack';
import type { AccessLogEntry } from '#local/rest-api-emulator';
import type { CorsOrigins } from '#shared/response-policy';
import { serveEmulator } from '../support/emulated-function';
import { startFaultServer } from '../support/fault-server';
import { testFlag } from '../support/flags';
import { REPO_ROOT } from '../support/repo-root';
import { type Browser, findChromium, launchChromium } from './chromium';
import { type PageOrigin, servePageOrigin } from './page-origin';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'items.json');

/** What a script in the page saw: the response, or the TypeError of a blocked request. */
interface Seen {
  readonly status?: number;
  readonly etag?: string | null;
  readonly cacheControl?: string | null;
  readonly retryAfter?: string | null;
  readonly body?: string;
  readonly blocked?: string;
}

/** Runs fetch() in the page, as the page's own script would. */
function fetchFromPage(page: Page, url: string, init: { method?: string; headers?: Record<string, string> }) {
  return page.evaluate(
    async ({ url, init }): Promise<Seen> => {
      try {
        const response = await fetch(url, init);
        return {
          status: response.status,
          etag: response.headers.get('etag'),
          cacheControl: response.headers.get('cache-control'),
          retryAfter: response.headers.get('retry-after'),
          body: await response.text(),
        };
      } catch (error) {
        return { blocked: String(error) };
      }
    },
    { url, init },
  );
}

/** One row of the closing table: what the page asked, what the gateway saw, what the page could read. */
interface Row {
  readonly config: string;
  readonly page: string;
  readonly request: string;
  readonly preflight: string;
  readonly status: string;
  readonly invoked: boolean;
  readonly readable: string;
}

describe('in a real browser: headless Chromium calls the local stack from a page on another origin', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let allowed: PageOrigin;
  let other: PageOrigin;
  const pages: Record<'allowed' | 'other', Page | undefined> = { allowed: undefined, other: undefined };
  const rows: Row[] = [];

  before(async function () {
    const executablePath = findChromium();
    if (!executablePath) {
      const hint = 'install Chromium (apt-get install -y chromium) or set CHROMIUM_PATH';
      if (testFlag('REQUIRE_BROWSER')) throw new Error(`REQUIRE_BROWSER=1, but no Chromium found: ${hint}`);
      console.log(`    skipped: no Chromium found; ${hint}`);
      this.skip();
    }
    [allowed, other] = await Promise.all([servePageOrigin(), servePageOrigin()]);
    browser = await launchChromium(executablePath);
    for (const [name, origin] of [
      ['allowed', allowed],
      ['other', other],
    ] as const) {
      const page = await browser.context.newPage();
      await page.goto(`${origin.origin}/`);
      pages[name] = page;
    }
  });

  after(async () => {
    await browser?.close();
    await Promise.all([allowed?.close(), other?.close()]);
    if (rows.length > 0) {
      console.log('\n    requests the pages made, as the gateway saw them:');
      console.table(rows);
    }
  });

  const configurations: {
    name: string;
    origins: (page: string) => CorsOrigins;
    gatewayErrorsReadable: boolean;
  }[] = [
    { name: 'one allowed origin', origins: (page) => [page], gatewayErrorsReadable: true },
    {
      name: 'a list of allowed origins',
      origins: (page) => ['https://app.example.com', page],
      // Gateway responses cannot echo one origin out of a list, so they carry none.
      gatewayErrorsReadable: false,
    },
  ];

  for (const { name: config, origins, gatewayErrorsReadable } of configurations) {
    describe(`with ${config}`, () => {
      let stack: LocalStack;
      const access: AccessLogEntry[] = [];
      let etag = '';

      before(async () => {
        stack = await startLocalStack({
          port: 0,
          dynamoPort: 0,
          seedFile: FIXTURES,
          corsAllowOrigins: origins(allowed.origin),
          onAccess: (entry) => access.push(entry),
          onStackLog: () => {},
        });
      });
      after(() => stack?.stop());

      /** The page's fetch, and the requests it caused at the gateway. */
      async function request(
        from: 'allowed' | 'other',
        urlPath: string,
        init: { method?: string; headers?: Record<string, string> } = {},
      ) {
        const page = pages[from] as Page;
        const start = access.length;
        const seen = await fetchFromPage(page, `${stack.apiUrl}${urlPath}`, init);
        const made = access.slice(start);
        const preflight = made.find((entry) => entry.httpMethod === 'OPTIONS');
        const actual = made.filter((entry) => entry.httpMethod !== 'OPTIONS');
        for (const entry of made) expect(entry.origin, 'Origin the browser sent').to.equal(from === 'allowed' ? allowed.origin : other.origin); // biome-ignore format: long line
        const method = init.method ?? 'GET';
        rows.push({
          config,
          page: from === 'allowed' ? `allowed ${allowed.origin}` : `not allowed ${other.origin}`,
          request: `${method} ${urlPath}${init.headers?.['If-None-Match'] ? ' + If-None-Match' : ''}`,
          preflight: preflight ? `OPTIONS ${preflight.status}` : 'none',
          status: actual.map((entry) => entry.status).join(', ') || 'not sent',
          invoked: actual.some((entry) => entry.invokedFunction),
          readable: seen.blocked ? 'no: blocked by CORS' : `yes: ${seen.status}`,
        });
        return { seen, preflight, actual };
      }

      it('fetches an item: 200, the JSON, and the exposed ETag, with no preflight', async () => {
        const { seen, preflight, actual } = await request('allowed', '/hello');
        expect(seen.status).to.equal(200);
        expect(JSON.parse(seen.body ?? '')).to.include({ pk: 'hello', message: 'Hello from item-api' });
        expect(seen.etag, 'ETag exposed to the script').to.match(/^"[\w-]+"$/);
        expect(seen.cacheControl).to.equal('no-cache');
        expect(preflight).to.equal(undefined);
        expect(actual.map((entry) => entry.status)).to.deep.equal([200]);
        etag = seen.etag as string;
      });

      it('repeats it with If-None-Match: a real preflight answered by the gateway, then a 304 the page reads', async () => {
        const { seen, preflight, actual } = await request('allowed', '/hello', {
          headers: { 'If-None-Match': etag },
        });
        expect(preflight, 'the browser sent a preflight').to.include({ status: 204, invokedFunction: false });
        expect(actual).to.have.length(1);
        expect(actual[0]).to.include({ httpMethod: 'GET', status: 304, invokedFunction: true });
        expect(access.indexOf(preflight as AccessLogEntry)).to.be.below(
          access.indexOf(actual[0] as AccessLogEntry),
        );
        expect(seen.status).to.equal(304);
        expect(seen.etag).to.equal(etag);
      });

      it('checks the ETag with HEAD: no preflight (HEAD is a simple method), 200, no body', async () => {
        const { seen, preflight } = await request('allowed', '/hello', { method: 'HEAD' });
        expect(preflight).to.equal(undefined);
        expect(seen).to.include({ status: 200, etag, body: '' });
      });

      it("reads a missing item's 404 body", async () => {
        const { seen } = await request('allowed', '/does-not-exist');
        expect(seen.status).to.equal(404);
        expect(JSON.parse(seen.body ?? '')).to.have.property('message', 'Item not found');
        expect(seen.cacheControl).to.equal('no-store');
      });

      it(`${gatewayErrorsReadable ? 'reads' : 'cannot read'} the gateway's own 404 for an unknown path`, async () => {
        const { seen, actual } = await request('allowed', '/no/such/route');
        expect(actual.map((entry) => entry.status)).to.deep.equal([404]);
        if (gatewayErrorsReadable) {
          expect(seen.status).to.equal(404);
          expect(JSON.parse(seen.body ?? '')).to.deep.equal({ message: 'Not found' });
        } else {
          expect(seen.blocked).to.match(/TypeError/);
        }
      });

      it('blocks a page on an origin that is not allowed from reading an item', async () => {
        const { seen, actual } = await request('other', '/hello');
        expect(seen.blocked).to.match(/TypeError/);
        // A simple GET is sent; the browser withholds the answer from the script.
        expect(actual.length).to.be.at.least(1);
      });

      it('blocks its conditional request at the preflight: the GET is never sent', async () => {
        const { seen, preflight, actual } = await request('other', '/hello', {
          headers: { 'If-None-Match': etag },
        });
        expect(seen.blocked).to.match(/TypeError/);
        expect(preflight).to.include({ status: 204, invokedFunction: false });
        expect(actual).to.deep.equal([]);
      });
    });
  }

  describe('with one allowed origin, while DynamoDB throttles', () => {
    let fault: Awaited<ReturnType<typeof startFaultServer>>;
    let fn: LocalFunction;
    let gateway: Awaited<ReturnType<typeof serveEmulator>>;
    before(async () => {
      fault = await startFaultServer('throttling');
      fn = await LocalFunction.start({
        bundle: HANDLER_BUNDLE,
        env: { TABLE_NAME: 'items', ...localFunctionEnv(fault.endpoint), CORS_ALLOW_ORIGIN: allowed.origin },
        log: () => {},
      });
      gateway = await serveEmulator((event) => fn.invoke(event), { corsOrigins: [allowed.origin] });
    });
    after(async () => {
      await gateway?.close();
      await fn?.stop();
      await fault?.close();
    });

    it("reads the 503's Retry-After: the function exposes it", async () => {
      const seen = await fetchFromPage(pages.allowed as Page, `${gateway.url}/hello`, {});
      expect(seen.status).to.equal(503);
      expect(seen.retryAfter, 'Retry-After exposed to the script').to.equal('1');
      expect(seen.cacheControl).to.equal('no-store');
    });
  });
});
