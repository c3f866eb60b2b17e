import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { bootstrapPropsFromEnv } from '../../infra/bootstrap/bootstrap-config';
import { BootstrapStack } from '../../infra/bootstrap/bootstrap-stack';
import type { EnvironmentConfig } from '../../infra/config';
import { Testing } from '../../infra/toolchain';
import { testFlag } from '../support/flags';
import { REPO_ROOT } from '../support/repo-root';
import { environment, synthStack } from './synth';

/**
 * The whole synthesized configuration of every stack, pinned. A refactor of the construct tree
 * must leave it as it was: a changed address replaces the resource (for the table, its items), and
 * a changed attribute is a change to review. An intended change updates the fixture in the same
 * commit (`UPDATE_SYNTH_SNAPSHOTS=1 npx mocha test/infra/synth-snapshot.test.ts`), where the diff
 * shows exactly what moved.
 */
const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'synthesized');

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc';
const WAF =
  'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shared/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc';
const everyOption: EnvironmentConfig = {
  ...environment('dev'),
  corsAllowOrigins: ['https://app.example.com', 'https://admin.example.com'],
  fn: { reservedConcurrency: 5, cacheControl: { maxAgeSeconds: 60, staleWhileRevalidateSeconds: 30 } },
  api: {
    ...environment('dev').api,
    customDomain: {
      domainName: 'api.example.com',
      certificateArn: CERTIFICATE,
      hostedZoneId: 'Z0123456789ABC',
      disableDefaultEndpoint: true,
    },
    wafWebAclArn: WAF,
  },
  alarms: { email: 'ops@example.com', latencyP99Ms: 800 },
  tags: { team: 'items' },
};
const github = { GITHUB_OWNER: 'acme', GITHUB_REPO: 'item-api' };

const STACKS: Record<string, () => string> = {
  dev: () => synthStack(environment('dev'), { kind: 'local', onPurpose: false }).json,
  prod: () =>
    synthStack(environment('prod'), { kind: 's3', bucket: 'acme-tfstate', region: 'eu-west-1' }).json,
  'dev-every-option': () => synthStack(everyOption, { kind: 'local', onPurpose: true }).json,
  bootstrap: () =>
    Testing.synth(new BootstrapStack(Testing.app(), 'bootstrap', bootstrapPropsFromEnv(github))),
  'bootstrap-every-option': () =>
    Testing.synth(
      new BootstrapStack(
        Testing.app(),
        'bootstrap',
        bootstrapPropsFromEnv(
          {
            ...github,
            AWS_REGION: 'eu-west-1',
            TF_STATE_BUCKET: 'acme-tfstate',
            BOOTSTRAP_REMOTE_STATE: '1',
            BOOTSTRAP_APIGATEWAY_LOGS_ROLE: '0',
            BOOTSTRAP_SHARED_DEPLOY_ROLE: '1',
            BOOTSTRAP_OIDC_PROVIDER_ARN:
              'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com',
          },
          [everyOption, { ...environment('prod'), region: 'eu-central-1' }],
        ),
      ),
    ),
};

/** The bundle's content hash changes with every handler edit; the snapshot is about the infrastructure. */
function normalize(json: string): unknown {
  return JSON.parse(
    json
      .replace(/assets\/([^/"]+)\/[0-9A-F]{32}\//g, 'assets/$1/<bundle hash>/')
      .replace(/"source_code_hash": "[0-9A-F]{32}"/g, '"source_code_hash": "<bundle hash>"'),
  );
}

/** Each differing leaf as `path: pinned -> actual`, so a failure says what changed, not just that. */
function differences(actual: unknown, pinned: unknown, path = ''): string[] {
  if (JSON.stringify(actual) === JSON.stringify(pinned)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObject(actual) && isObject(pinned)) {
    return [...new Set([...Object.keys(pinned), ...Object.keys(actual)])].flatMap((key) =>
      differences(actual[key], pinned[key], `${path}.${key}`),
    );
  }
  const shown = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
  return [`${path}: ${shown(pinned)} -> ${shown(actual)}`];
}

describe('the synthesized configuration of every stack', () => {
  const update = testFlag('UPDATE_SYNTH_SNAPSHOTS');
  if (update) mkdirSync(FIXTURES, { recursive: true });

  for (const [name, synth] of Object.entries(STACKS)) {
    it(`${name}: as pinned in test/fixtures/synthesized/${name}.json`, () => {
      const file = path.join(FIXTURES, `${name}.json`);
      const actual = normalize(synth());
      if (update || !existsSync(file)) writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
      const changed = differences(actual, JSON.parse(readFileSync(file, 'utf8')));
      expect(changed, `changed since pinned:\n${changed.join('\n')}`).to.deep.equal([]);
    });
  }
});
