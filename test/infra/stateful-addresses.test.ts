import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { BootstrapStack } from '../../infra/bootstrap/bootstrap-stack';
import { Testing } from '../../infra/toolchain';
import { REPO_ROOT } from '../support/repo-root';
import { environment, synthStack } from './synth';

/**
 * Resources whose replacement loses something a new copy does not bring back: items, logs, the
 * state itself, the API's URL, confirmed subscriptions, the account's one OIDC provider. cdktf
 * derives a resource's Terraform address from its construct path, so moving a construct replaces
 * the resource on the next deploy. Their addresses are pinned here; a deliberate move needs a
 * `moved` block (cdktf: `moveTo`/`moveFromId`) and an updated fixture, reviewed together.
 */
const STATEFUL_TYPES = [
  'aws_dynamodb_table',
  'aws_cloudwatch_log_group',
  'aws_s3_bucket',
  'aws_api_gateway_rest_api',
  'aws_sns_topic',
  'aws_sns_topic_subscription',
  'aws_iam_openid_connect_provider',
];

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'stateful-addresses.json');

function statefulAddresses(json: string): string[] {
  const resources = (JSON.parse(json) as { resource: Record<string, Record<string, unknown>> }).resource;
  return STATEFUL_TYPES.flatMap((type) =>
    Object.keys(resources[type] ?? {}).map((name) => `${type}.${name}`),
  ).sort();
}

const STACKS: Record<string, () => string> = {
  dev: () => synthStack(environment('dev')).json,
  prod: () => synthStack(environment('prod')).json,
  // Resources that exist only with optional settings keep their addresses too.
  'dev with alarm email': () =>
    synthStack({ ...environment('dev'), alarms: { email: 'ops@example.com' } }).json,
  bootstrap: () =>
    Testing.synth(
      new BootstrapStack(Testing.app(), 'bootstrap', {
        region: 'us-east-1',
        githubOwner: 'acme',
        githubRepo: 'item-api',
        stateBucketName: 'acme-item-api-tfstate',
      }),
    ),
};

describe('Terraform addresses of stateful resources', () => {
  const pinned = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string[]>;

  it('are pinned for every stack', () => {
    expect(Object.keys(pinned)).to.have.members(Object.keys(STACKS));
  });

  for (const [stack, synth] of Object.entries(STACKS)) {
    it(`${stack}: unchanged, so no refactor replaces the table, a log group, the bucket or the API`, () => {
      expect(statefulAddresses(synth()), `${path.relative(REPO_ROOT, FIXTURE)} → ${stack}`).to.deep.equal(
        pinned[stack],
      );
    });
  }
});
