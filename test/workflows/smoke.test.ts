import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import type { CaseResult, SmokeResult, SmokeTarget } from '../../.github/scripts/lib/run-conformance';
import { outputFromFile, settingsFromSynth } from '../../.github/scripts/lib/smoke-profile';
import { reportLines, summaryMarkdown, verdict } from '../../.github/scripts/lib/smoke-report';
import { apiUrlFromOutputs, parseCommandLine } from '../../.github/scripts/smoke';
import { environment, synthStack } from '../infra/synth';
import { IAM_ACCESS, KEY_ACCESS } from '../support/access-settings';
import { refusedUrl } from '../support/hostile-http';
import { REPO_ROOT } from '../support/repo-root';
import { runSmokeCli } from '../support/smoke-cli';

const SYNTHESIZED = path.join(REPO_ROOT, 'test', 'fixtures', 'synthesized');
const fixture = (name: string) => JSON.parse(readFileSync(path.join(SYNTHESIZED, `${name}.json`), 'utf8'));

describe('smoke test: what it reads, and how it reports', () => {
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

    it('reads execute_api_url the same way, and undefined when the file has none', () => {
      expect(
        outputFromFile({ execute_api_url: { value: 'https://x.execute-api/v1' } }, 'execute_api_url'),
      ).to.equal('https://x.execute-api/v1');
      expect(outputFromFile({ api_url: { value: 'https://a' } }, 'execute_api_url')).to.equal(undefined);
    });
  });

  describe('what was deployed, from the synthesized stack (the pinned fixtures)', () => {
    it('dev: no CORS, the default no-cache, the execute-api URL on', () => {
      expect(settingsFromSynth(fixture('dev'))).to.deep.equal({
        cors: undefined,
        itemCacheControl: 'no-cache',
        executeApiDisabled: false,
        access: 'public',
      });
    });

    it('every option: the origin list, the configured Cache-Control, the execute-api URL off', () => {
      expect(settingsFromSynth(fixture('dev-every-option'))).to.deep.equal({
        cors: ['https://app.example.com', 'https://admin.example.com'],
        itemCacheControl: 'max-age=60, stale-while-revalidate=30',
        executeApiDisabled: true,
        access: 'public',
      });
    });

    it('the access mode from the GET method: AWS_IAM is iam, a required key is api-key', () => {
      const dev = environment('dev');
      for (const [access, mode] of [
        [IAM_ACCESS, 'iam'],
        [KEY_ACCESS, 'api-key'],
      ] as const) {
        const synthesized = synthStack({ ...dev, api: { ...dev.api, access } }, { kind: 'local', onPurpose: false }); // biome-ignore format: long line
        expect(settingsFromSynth(synthesized.config).access).to.equal(mode);
      }
    });

    it('refuses a file that is not one environment stack', () => {
      expect(() => settingsFromSynth(fixture('bootstrap'))).to.throw(
        /exactly one aws_lambda_function, found 0/,
      );
    });
  });

  describe('the command line', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'smoke-'));
      writeFileSync(path.join(dir, 'synth.json'), JSON.stringify(fixture('dev-every-option')));
      writeFileSync(
        path.join(dir, 'outputs.json'),
        JSON.stringify({
          api_url: { value: 'https://api.example.com' },
          execute_api_url: { value: 'https://abc.execute-api.us-east-1.amazonaws.com/v1' },
        }),
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string) => path.join(dir, name);

    it('takes the deploy: URLs from the outputs, CORS, Cache-Control and the execute-api switch from the synthesized stack', () => {
      const { target } = parseCommandLine(
        ['--outputs-file', file('outputs.json'), '--synth', file('synth.json')],
        { CORS_ALLOW_ORIGIN: 'https://ignored.example.com', SMOKE_ITEM_ID: 'seeded' },
      );
      expect(target).to.deep.equal({
        baseUrl: 'https://api.example.com',
        profile: {
          itemId: 'seeded',
          cors: ['https://app.example.com', 'https://admin.example.com'],
          itemCacheControl: 'max-age=60, stale-while-revalidate=30',
          executeApi: { url: 'https://abc.execute-api.us-east-1.amazonaws.com/v1', disabled: true },
          access: 'public',
        },
      });
    });

    it('takes the access mode from the synthesized stack, else --access or the API_ACCESS npm start reads', () => {
      const local = ['--url', 'http://127.0.0.1:3000'];
      expect(parseCommandLine(local, { API_ACCESS: 'iam' }).target.profile.access).to.equal('iam');
      expect(parseCommandLine([...local, '--access', 'api-key'], { API_ACCESS: 'iam' }).target.profile.access).to.equal('api-key'); // biome-ignore format: long line
      expect(parseCommandLine(local, {}).target.profile.access).to.equal(undefined);
      expect(() => parseCommandLine(local, { API_ACCESS: 'open' })).to.throw(
        'API_ACCESS must be one of public, api-key, iam, got "open"',
      );
      const synth = ['--outputs-file', file('outputs.json'), '--synth', file('synth.json')];
      expect(parseCommandLine(synth, { API_ACCESS: 'iam' }).target.profile.access).to.equal('public');
    });

    it('lets flags override the synthesized stack', () => {
      const { target } = parseCommandLine(
        ['--outputs-file', file('outputs.json'), '--synth', file('synth.json'), '--cors-origins', 'none', '--item-cache-control', 'no-cache'], // biome-ignore format: long line
        {},
      );
      expect(target.profile).to.include({ cors: undefined, itemCacheControl: 'no-cache' });
    });

    it('without a synthesized stack, reads what npm start reads (CORS_ALLOW_ORIGIN, CACHE_CONTROL), then the defaults', () => {
      expect(
        parseCommandLine(['--url', 'http://127.0.0.1:3000'], {
          CORS_ALLOW_ORIGIN: '*',
          CACHE_CONTROL: 'max-age=5',
        }).target,
      ).to.deep.equal({
        // biome-ignore format: long line
        baseUrl: 'http://127.0.0.1:3000',
        profile: { itemId: 'hello', cors: '*', itemCacheControl: 'max-age=5' },
      });
      expect(parseCommandLine(['--url', 'http://x'], {}).target.profile).to.deep.equal({
        itemId: 'hello',
        cors: undefined,
        itemCacheControl: 'no-cache',
      });
    });

    it('treats an empty SMOKE_ITEM_ID (an unset GitHub variable) as no known item', () => {
      expect(parseCommandLine(['--url', 'http://x'], { SMOKE_ITEM_ID: '' }).target.profile.itemId).to.equal(
        undefined,
      );
      expect(parseCommandLine(['--url', 'http://x', '--skip-known-id'], {}).target.profile.itemId).to.equal(
        undefined,
      );
    });

    it('leaves out an execute-api URL that is the API URL itself (no custom domain)', () => {
      const { target } = parseCommandLine(['--url', 'https://abc.execute-api/v1/', '--execute-api-url', 'https://abc.execute-api/v1'], {}); // biome-ignore format: long line
      expect(target.profile).to.not.have.property('executeApi');
    });

    const refusals: { name: string; argv: string[]; env?: Record<string, string>; error: RegExp }[] = [
      { name: 'no URL', argv: [], error: /pass --url, set API_URL, or pass --outputs-file/ },
      { name: 'an origin with a path', argv: ['--url', 'http://x', '--cors-origins', 'https://a.example.com/'], error: /--cors-origins must be "\*" or a list of origins/ }, // biome-ignore format: table row
      { name: 'an invalid CORS_ALLOW_ORIGIN', argv: ['--url', 'http://x'], env: { CORS_ALLOW_ORIGIN: 'nope' }, error: /CORS_ALLOW_ORIGIN must be/ }, // biome-ignore format: table row
      { name: 'the execute-api URL turned off, but not where it is', argv: ['--url', 'http://x', '--execute-api-disabled'], error: /no execute_api_url output or --execute-api-url/ }, // biome-ignore format: table row
      { name: 'zero attempts', argv: ['--url', 'http://x', '--attempts', '0'], error: /--attempts must be a whole number of at least 1, got 0/ }, // biome-ignore format: table row
      {
        name: 'a misspelt flag',
        argv: ['--url', 'http://x', '--atempts', '3'],
        error: /Unknown option '--atempts'/,
      },
    ];
    for (const { name, argv, env, error } of refusals) {
      it(`refuses ${name}`, () => expect(() => parseCommandLine(argv, env ?? {})).to.throw(error));
    }
  });

  describe('the report', () => {
    const target: SmokeTarget = {
      baseUrl: 'https://api.example.com',
      profile: { itemId: 'hello', cors: ['https://a.example.com'], itemCacheControl: 'no-cache' },
    };
    const result = (...results: Partial<CaseResult>[]): SmokeResult => {
      const full = results.map(
        (r): CaseResult => ({
          id: 'id-decoded-once',
          title: 'a | title',
          assumption: 'path-parameter-raw',
          outcome: 'passed',
          method: 'GET',
          url: 'https://api.example.com/%25zz',
          status: 404,
          attempts: 1,
          ...r,
        }),
      );
      return { ok: full.every((r) => r.outcome === 'passed' || r.outcome === 'skipped'), results: full };
    };

    it('names the contradicted assumption, its status and claim on the failing line', () => {
      const lines = reportLines(result({ outcome: 'failed', status: 400, problem: 'expected 404, got 400' }));
      expect(lines).to.deep.equal([
        `✘ id-decoded-once: a | title [400] — contradicts assumption path-parameter-raw (unverified): The {id} path parameter reaches the function still percent-encoded (/%25zz arrives as "%25zz"), so the handler decodes it exactly once. — expected 404, got 400`, // biome-ignore format: long line
      ]);
    });

    it('tells a wrong answer from no answer in its verdict', () => {
      expect(verdict(result({}))).to.equal('Smoke test passed.');
      expect(verdict(result({ outcome: 'failed', problem: 'x' }))).to.equal(
        'Smoke test FAILED: 1 check(s) got answers that contradict assumptions (path-parameter-raw).',
      );
      expect(
        verdict(result({ outcome: 'unreachable', status: undefined, problem: 'ECONNREFUSED' })),
      ).to.equal(
        'Smoke test FAILED: 1 check(s) could not reach the API, so they say nothing about it (ECONNREFUSED).',
      );
    });

    it('writes a Markdown table for the job summary, with the contradicted assumption and its sources', () => {
      const markdown = summaryMarkdown(target, result({}, { id: 'header-limit', assumption: 'header-limit', outcome: 'failed', status: 400, problem: 'expected 431, got 400' })); // biome-ignore format: long line
      expect(markdown).to.include('## Conformance smoke test: FAILED');
      expect(markdown).to.include('CORS https://a.example.com');
      expect(markdown).to.include('| ✅ | a \\| title | `GET https://api.example.com/%25zz` | 404 | `path-parameter-raw` (unverified) |'); // biome-ignore format: long line
      expect(markdown).to.include('| ❌ | a \\| title | `GET https://api.example.com/%25zz` | 400: expected 431, got 400 | `header-limit` (unverified) |'); // biome-ignore format: long line
      expect(markdown).to.match(/### Contradicted assumptions\n[\s\S]*- \*\*header-limit\*\* \(unverified\): Request headers over 10,240 bytes[\s\S]*Sources: https:\/\/docs\.aws\.amazon\.com/); // biome-ignore format: long line
    });
  });

  describe('npm run smoke (the workflow step)', () => {
    it('exits 1 when the API cannot be reached, says so rather than blaming the contract, and writes the job summary', async function () {
      this.timeout(30_000);
      const dir = mkdtempSync(path.join(tmpdir(), 'smoke-summary-'));
      try {
        const summary = path.join(dir, 'summary.md');
        writeFileSync(summary, '');
        const { code, out } = await runSmokeCli(['--url', `${await refusedUrl()}/v1`], {
          GITHUB_STEP_SUMMARY: summary,
        });
        expect(code, out).to.equal(1);
        expect(out).to.match(/⚠ item-get: .* — connect ECONNREFUSED/);
        expect(out).to.match(/Smoke test FAILED: \d+ check\(s\) could not reach the API/);
        expect(out).to.not.match(/contradict/);
        expect(readFileSync(summary, 'utf8')).to.match(/^## Conformance smoke test: FAILED[\s\S]*\| ⚠️ \|/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('exits 2 with a hint when no URL is given', async function () {
      this.timeout(30_000);
      const { code, out } = await runSmokeCli([], {});
      expect(code).to.equal(2);
      expect(out).to.include('pass --url, set API_URL, or pass --outputs-file');
    });
  });
});
