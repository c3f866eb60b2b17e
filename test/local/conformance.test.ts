import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import type { LocalAccess } from '#local/access-gate';
import { localClient } from '#local/local-dynamodb';
import { type LocalStack, SAMPLE_ITEMS_FILE, startLocalStack } from '#local/local-stack';
import type { AccessMode } from '#shared/access';
import { GATEWAY_ASSUMPTIONS } from '#shared/gateway-assumptions';
import type { CorsOrigins } from '#shared/response-policy';
import { CONFORMANCE_CASES, type SmokeProfile } from '../../.github/scripts/lib/conformance-cases';
import { runConformance, type SmokeResult } from '../../.github/scripts/lib/run-conformance';
import { reportLines } from '../../.github/scripts/lib/smoke-report';
import { startFlippingGateway } from '../support/flipping-gateway';
import { startHostileServer } from '../support/hostile-http';
import { runSmokeCli } from '../support/smoke-cli';
import { FLIPS, type StackConfig } from './gateway-flips';

/**
 * The conformance cases the post-deploy smoke runs against the live stage
 * (.github/scripts/lib/conformance-cases.ts), run here against the local stack: the built bundle on
 * dynalite behind the REST emulator. The local stack must pass every one; and a gateway differing
 * from it in one assumption (./gateway-flips.ts) must fail, and the failure must name that case.
 */

const A = 'https://a.example.com';
const B = 'https://b.example.com';
const CONFIGS: Record<StackConfig, { cors?: CorsOrigins; cacheControl?: string; access?: LocalAccess }> = {
  'no CORS': {},
  'one origin': { cors: [A] },
  'a list of origins, max-age': { cors: [A, B], cacheControl: 'max-age=60, stale-while-revalidate=30' },
  'any origin': { cors: '*' },
  // The smoke holds no key and signs nothing: these stacks let only callers it is not in.
  'api keys, one origin': {
    cors: [A],
    access: { mode: 'api-key', keys: [{ name: 'probe', value: 'conformanceKey0123456789' }] },
  },
  'iam, one origin': {
    cors: [A],
    access: {
      mode: 'iam',
      credentials: { accessKeyId: 'AKIDCONFORMANCE', secretAccessKey: 'conformance-secret' },
      region: 'us-east-1',
    },
  },
};

const profileOf = (config: StackConfig): SmokeProfile => ({
  itemId: 'hello',
  cors: CONFIGS[config].cors,
  itemCacheControl: CONFIGS[config].cacheControl ?? 'no-cache',
  access: CONFIGS[config].access?.mode,
});

/** The cases that must apply, beyond the CORS ones: the function's in public mode, else the mode's refusals. */
const MUST_APPLY: Record<AccessMode, readonly string[]> = {
  public: ['item-get', 'id-decoded-once', 'route-unknown-path-bearer', 'header-limit'],
  'api-key': ['access-key-missing', 'access-key-unknown', 'route-unknown-path', 'route-unknown-path-bearer'],
  iam: ['access-iam-unsigned', 'access-iam-unknown-route', 'route-unknown-path-bearer'],
};

const failures = (result: SmokeResult) => result.results.filter((r) => r.outcome !== 'passed' && r.outcome !== 'skipped'); // biome-ignore format: long line

describe("conformance: the smoke test's cases against the local stack", function () {
  this.timeout(60_000);
  const stacks = new Map<StackConfig, LocalStack>();

  before(async () => {
    for (const [name, { cors, cacheControl, access }] of Object.entries(CONFIGS) as [
      StackConfig,
      (typeof CONFIGS)[StackConfig],
    ][]) {
      const stack = await startLocalStack({
        port: 0,
        dynamoPort: 0,
        seedFile: SAMPLE_ITEMS_FILE,
        corsAllowOrigins: cors,
        cacheControl,
        access,
        onStackLog: () => {},
      });
      stacks.set(name, stack);
      // So the encoded-slash case finds "a/b", as it does on a stage that holds one.
      const client = localClient(stack.dynamoEndpoint);
      await client.send(new PutItemCommand({ TableName: stack.tableName, Item: { pk: { S: 'a/b' }, sk: { S: 'a/b' } } })); // biome-ignore format: long line
      client.destroy();
    }
  });
  after(async () => {
    for (const stack of stacks.values()) await stack.stop();
  });

  const stackUrl = (config: StackConfig) => stacks.get(config)?.apiUrl as string;

  for (const config of Object.keys(CONFIGS) as StackConfig[]) {
    it(`passes every case that applies, with ${config}`, async () => {
      const result = await runConformance({ baseUrl: stackUrl(config), profile: profileOf(config) });
      expect(failures(result), reportLines(result).join('\n')).to.deep.equal([]);
      const applies = result.results.filter((r) => r.outcome === 'passed').map((r) => r.id);
      const mode = CONFIGS[config].access?.mode ?? 'public';
      expect(applies).to.include.members(MUST_APPLY[mode]);
      if (CONFIGS[config].cors) expect(applies).to.include.members(['cors-preflight-allowed']);
      if (mode !== 'public') return;
      if (CONFIGS[config].cors) expect(applies).to.include.members(['cors-function-answer']);
      expect(result.results.find((r) => r.id === 'id-encoded-slash')?.status, 'finds a/b').to.equal(200);
    });
  }

  it('names, for every case, an assumption that the assumptions table holds', () => {
    for (const c of CONFORMANCE_CASES) expect(GATEWAY_ASSUMPTIONS, c.id).to.have.property(c.assumption);
  });

  describe('the execute-api URL, which the local stack cannot serve under a second hostname', () => {
    // Stand-ins for the stage's execute-api hostname: one refusing as AWS documents (403) when the
    // API turns it off, one serving the stage as it does otherwise.
    const refusing = { means: 'the execute-api URL is turned off: API Gateway answers 403 Forbidden', request: () => ({ status: 403, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"message":"Forbidden"}') }) }; // biome-ignore format: long line
    const cases = [
      { name: 'turned off, and refused', disabled: true, standIn: refusing, passes: true },
      { name: 'turned off, but still serving (the stage not redeployed)', disabled: true, standIn: undefined, passes: false }, // biome-ignore format: table row
      { name: 'left on, and serving', disabled: false, standIn: undefined, passes: true },
      { name: 'left on, but refused', disabled: false, standIn: refusing, passes: false },
    ];
    for (const { name, disabled, standIn, passes } of cases) {
      it(`${passes ? 'passes' : 'fails, naming the case,'} when ${name}`, async () => {
        const executeApi = await startFlippingGateway(stackUrl('no CORS'), standIn);
        try {
          const result = await runConformance({
            baseUrl: stackUrl('no CORS'),
            profile: { ...profileOf('no CORS'), executeApi: { url: executeApi.url, disabled } },
          });
          const id = disabled ? 'execute-api-refused' : 'execute-api-serves';
          expect(result.results.find((r) => r.id === id)?.outcome).to.equal(passes ? 'passed' : 'failed');
          expect(failures(result).map((r) => r.id)).to.deep.equal(passes ? [] : [id]);
        } finally {
          await executeApi.close();
        }
      });
    }
  });

  describe('a gateway that differs from the emulator in one assumption fails, naming the case', () => {
    it('passes everything through the stand-in proxy when nothing is flipped', async () => {
      for (const config of ['no CORS', 'a list of origins, max-age'] as const) {
        const proxy = await startFlippingGateway(stackUrl(config));
        try {
          const result = await runConformance({ baseUrl: proxy.url, profile: profileOf(config) });
          expect(failures(result), reportLines(result).join('\n')).to.deep.equal([]);
        } finally {
          await proxy.close();
        }
      }
    });

    it('has a flip for every case but the execute-api ones (tested above)', () => {
      const flipped = new Set<string>(Object.keys(FLIPS));
      const unflipped = CONFORMANCE_CASES.map((c) => c.id).filter((id) => !flipped.has(id) && !id.startsWith('execute-api')); // biome-ignore format: long line
      expect(unflipped).to.deep.equal([]);
    });

    for (const [id, { config, flip }] of Object.entries(FLIPS)) {
      it(`${id}: fails when ${flip.means}`, async () => {
        const proxy = await startFlippingGateway(stackUrl(config), flip);
        try {
          const result = await runConformance({ baseUrl: proxy.url, profile: profileOf(config) });
          const failed = result.results.find((r) => r.id === id);
          expect(failed?.outcome, reportLines(result).join('\n')).to.equal('failed');
          const line = reportLines(result).find((l) => l.startsWith(`✘ ${id}:`));
          expect(line).to.include(`contradicts assumption ${failed?.assumption}`);
        } finally {
          await proxy.close();
        }
      });
    }
  });

  describe('npm run smoke (the command the deploy runs), against the local stack with CORS on', () => {
    const corsEnv = {
      CORS_ALLOW_ORIGIN: `${A},${B}`,
      CACHE_CONTROL: 'max-age=60, stale-while-revalidate=30',
    };

    it('passes, reading CORS and Cache-Control from the variables npm start reads', async () => {
      const { code, out } = await runSmokeCli(['--url', stackUrl('a list of origins, max-age')], corsEnv);
      expect(code, out).to.equal(0);
      expect(out).to.include(`CORS ${A},${B}`);
      expect(out).to.match(/✔ cors-preflight-allowed/);
      expect(out).to.include('Smoke test passed.');
    });

    it('fails against a server that redirects to it, naming the Location', async () => {
      const target = stackUrl('a list of origins, max-age');
      const redirector = await startHostileServer({ kind: 'redirect', location: `${target}/hello` });
      try {
        const { code, out } = await runSmokeCli(['--url', redirector.url], corsEnv);
        expect(code, out).to.equal(1);
        expect(out).to.include(`redirected (302) to Location: ${target}/hello`);
        expect(out).to.match(/Smoke test FAILED: \d+ check\(s\) got answers that contradict assumptions/);
      } finally {
        await redirector.close();
      }
    });
  });
});
