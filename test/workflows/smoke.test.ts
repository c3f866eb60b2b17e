import { spawn, spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { apiUrlFromOutputs, itemUrl, OVERSIZED_ID, runSmoke } from '../../.github/scripts/smoke';
import { REPO_ROOT } from '../support/repo-root';

type Handler = (id: string, res: ServerResponse) => void;

const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  type = 'application/json; charset=utf-8',
) => {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
};

/** The API contract in miniature: `/v1/hello` exists, other ids are 404, ids over 1,024 bytes are 400. */
const contract: Handler = (id, res) => {
  if (Buffer.byteLength(id) > 1024)
    return json(res, 400, { message: 'The item id is longer than 1024 bytes' });
  if (id === 'hello') return json(res, 200, { pk: 'hello', sk: 'hello', greeting: 'hi' });
  return json(res, 404, { message: 'Item not found' });
};

async function serve(handler: Handler): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/v1\/([^/?]+)$/.exec(req.url ?? '');
    if (!match?.[1]) return json(res, 403, { message: 'Missing Authentication Token' });
    handler(decodeURIComponent(match[1]), res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

describe('smoke test', () => {
  const servers: Server[] = [];
  const start = async (handler: Handler) => {
    const started = await serve(handler);
    servers.push(started.server);
    return started.baseUrl;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('passes against an API that keeps the contract', async () => {
    const result = await runSmoke({ baseUrl: await start(contract), itemId: 'hello' });
    expect(result.checks.map((c) => [c.expectedStatus, c.status, c.ok])).to.deep.equal([
      [200, 200, true],
      [404, 404, true],
      [400, 400, true],
    ]);
    expect(result.ok).to.equal(true);
  });

  it('skips only the 200 check, and says so, when no known id is given', async () => {
    const result = await runSmoke({ baseUrl: await start(contract) });
    expect(result.ok).to.equal(true);
    expect(result.checks[0]).to.deep.include({ skipped: true, expectedStatus: 200 });
    expect(result.checks[0]?.problem).to.match(/SMOKE_ITEM_ID/);
    expect(result.checks.filter((c) => !c.skipped).map((c) => c.status)).to.deep.equal([404, 400]);
  });

  const broken: { name: string; handler: Handler; failing: string; problem: RegExp }[] = [
    {
      name: 'a missing item answers 200',
      handler: (id, res) => (id === OVERSIZED_ID ? contract(id, res) : json(res, 200, { pk: id })),
      failing: 'missing id',
      problem: /expected 404, got 200/,
    },
    {
      name: 'an oversized id answers 500',
      handler: (id, res) => (id === OVERSIZED_ID ? json(res, 500, { message: 'boom' }) : contract(id, res)),
      failing: 'oversized id (1,025 bytes)',
      problem: /expected 400, got 500/,
    },
    {
      name: 'a 404 is served as HTML',
      handler: (id, res) =>
        id === 'hello' || id === OVERSIZED_ID ? contract(id, res) : json(res, 404, {}, 'text/html'),
      failing: 'missing id',
      problem: /JSON content-type/,
    },
    {
      name: 'a 404 has no message',
      handler: (id, res) =>
        id === 'hello' || id === OVERSIZED_ID ? contract(id, res) : json(res, 404, { error: 1 }),
      failing: 'missing id',
      problem: /"message" string/,
    },
    {
      name: 'the known item is an array',
      handler: (id, res) => (id === 'hello' ? json(res, 200, ['hello']) : contract(id, res)),
      failing: 'known id "hello"',
      problem: /not a JSON object/,
    },
  ];
  for (const { name, handler, failing, problem } of broken) {
    it(`fails when ${name}`, async () => {
      const result = await runSmoke({ baseUrl: await start(handler), itemId: 'hello' });
      expect(result.ok).to.equal(false);
      const failed = result.checks.filter((c) => !c.ok);
      expect(failed.map((c) => c.name)).to.deep.equal([failing]);
      expect(failed[0]?.problem).to.match(problem);
    });
  }

  it('fails when nothing answers', async () => {
    const baseUrl = await start(contract);
    await new Promise((resolve) => servers.splice(0)[0]?.close(resolve));
    const result = await runSmoke({ baseUrl, itemId: 'hello', timeoutMs: 2_000 });
    expect(result.ok).to.equal(false);
    expect(result.checks.every((c) => c.problem?.startsWith('request failed'))).to.equal(true);
  });

  it('retries a 5xx while a fresh stage warms up, then passes', async () => {
    let failuresLeft = 2;
    const warming: Handler = (id, res) =>
      failuresLeft-- > 0 ? json(res, 502, { message: 'warming' }) : contract(id, res);
    const result = await runSmoke({
      baseUrl: await start(warming),
      itemId: 'hello',
      attempts: 3,
      retryDelayMs: 1,
    });
    expect(result.ok).to.equal(true);
  });

  it('percent-encodes the id into the URL', () => {
    expect(itemUrl('https://x.test/v1/', 'a/b c')).to.equal('https://x.test/v1/a%2Fb%20c');
  });

  describe('API URL from an outputs file', () => {
    const cases: { name: string; outputs: unknown; stack?: string; url?: string; error?: RegExp }[] = [
      {
        name: 'terraform output -json',
        outputs: { api_url: { value: 'https://a/v1', type: 'string', sensitive: false } },
        url: 'https://a/v1',
      },
      {
        name: 'cdktf output --outputs-file',
        outputs: { dev: { api_url: 'https://d/v1' } },
        url: 'https://d/v1',
      },
      {
        name: 'several stacks, one chosen',
        outputs: { dev: { api_url: 'https://d/v1' }, prod: { api_url: 'https://p/v1' } },
        stack: 'prod',
        url: 'https://p/v1',
      },
      {
        name: 'several stacks, none chosen',
        outputs: { dev: { api_url: 'https://d/v1' }, prod: { api_url: 'https://p/v1' } },
        error: /pass --stack/,
      },
      { name: 'no api_url', outputs: { table_name: { value: 't' } }, error: /no api_url/ },
    ];
    for (const { name, outputs, stack, url, error } of cases) {
      it(`${name}: ${url ?? 'error'}`, () => {
        if (error) expect(() => apiUrlFromOutputs(outputs, stack)).to.throw(error);
        else expect(apiUrlFromOutputs(outputs, stack)).to.equal(url);
      });
    }
  });

  describe('npm run smoke (the workflow step)', () => {
    const cli = async (handler: Handler, env: Record<string, string>) => {
      const baseUrl = await start(handler);
      // Not spawnSync: it would block the event loop this test's server answers on.
      return new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(REPO_ROOT, '.github', 'scripts', 'smoke.ts')],
          {
            cwd: REPO_ROOT,
            env: { PATH: process.env.PATH, API_URL: baseUrl, ...env },
          },
        );
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
        });
        child.stderr.on('data', (chunk) => {
          out += chunk;
        });
        child.on('close', (code) => resolve({ code, out }));
      });
    };

    it('exits 0 and checks the default seeded id "hello"', async () => {
      const { code, out } = await cli(contract, {});
      expect(code, out).to.equal(0);
      expect(out).to.include('known id "hello"');
    });

    it('treats an empty SMOKE_ITEM_ID (an unset GitHub variable) as no known id', async () => {
      const { code, out } = await cli(contract, { SMOKE_ITEM_ID: '' });
      expect(code, out).to.equal(0);
      expect(out).to.include('the 200 check was skipped');
    });

    it('exits 1 with the broken check named when the contract is broken', async () => {
      const { code, out } = await cli((id, res) => json(res, 200, { pk: id }), {});
      expect(code).to.equal(1);
      expect(out).to.match(/✘ missing id: expected 404, got 200/);
      expect(out).to.include('Smoke test FAILED');
    });
  });

  it('exits 2 with a hint when no URL is given', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, '.github', 'scripts', 'smoke.ts')],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      },
    );
    expect(result.status).to.equal(2);
    expect(result.stderr).to.include('pass --url, set API_URL, or pass --outputs-file');
  });
});
