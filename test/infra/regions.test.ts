import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { AWS_REGIONS, checkRegion, OTHER_PARTITIONS } from '#shared/aws-regions';
import { findTerraform, TERRAFORM_INSTALL_HINT } from '../../scripts/lib/find-terraform';
import {
  OFFLINE_MIRROR_HINT,
  OFFLINE_PROVIDER_SETTINGS,
  pluginDirFromEnv,
} from '../../scripts/lib/offline-plan';
import { runTerraform } from '../../scripts/lib/run-terraform';
import { testFlag } from '../support/flags';

/** The provider binary of the offline mirror, or why it cannot be had. */
function providerBinary(): { terraform: string; pluginDir: string; binary: string } | string {
  const terraform = findTerraform();
  if (terraform === undefined) return `terraform is not on PATH. ${TERRAFORM_INSTALL_HINT}`;
  const pluginDir = pluginDirFromEnv();
  if (pluginDir === undefined) return `TF_PLUGIN_DIR is not set. ${OFFLINE_MIRROR_HINT}`;
  const dir = path.join(pluginDir, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
  const binary = readdirSync(dir).find((name) => name.startsWith('terraform-provider-aws_'));
  return binary === undefined
    ? `no provider binary in ${dir}`
    : { terraform, pluginDir, binary: path.join(dir, binary) };
}

/** Which of `codes` occur in the binary at all (grep, since the provider binary is 700 MB). */
function codesIn(binary: string, codes: readonly string[]): Set<string> {
  const result = spawnSync('grep', ['-a', '-o', '-F', ...codes.flatMap((code) => ['-e', code]), binary], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (result.error) throw result.error;
  return new Set(result.stdout.split('\n').filter(Boolean));
}

/** A root module that configures the provider once per region, as a stack in that region would. */
function providerPerRegion(regions: readonly string[]) {
  const { skip_region_validation: _, ...settings } = OFFLINE_PROVIDER_SETTINGS;
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
    provider: { aws: regions.map((region, i) => ({ alias: `r${i}`, region, ...settings })) },
    // A data source that needs no API call, so that each provider is configured and validates its region.
    data: { aws_partition: Object.fromEntries(regions.map((_, i) => [`r${i}`, { provider: `aws.r${i}` }])) },
  };
}

describe('regions: the provider’s own list (hashicorp/aws 5.100.0 from the offline mirror)', function () {
  this.timeout(300_000);
  let prerequisites: ReturnType<typeof providerBinary>;
  before(function () {
    prerequisites = providerBinary();
    if (typeof prerequisites === 'string') {
      if (testFlag('REQUIRE_TERRAFORM')) throw new Error(`REQUIRE_TERRAFORM=1, but ${prerequisites}`);
      this.skip();
    }
  });

  it('lists only regions the provider binary holds', () => {
    const { binary } = prerequisites as Exclude<typeof prerequisites, string>;
    const listed = [...AWS_REGIONS, ...Object.values(OTHER_PARTITIONS).flatMap((p) => p.regions)];
    // ap-southeast-6 opened after this provider was built: it is absent, so the check can fail.
    const found = codesIn(binary, [...listed, 'ap-southeast-6']);
    expect(
      listed.filter((region) => !found.has(region)),
      'listed but unknown to the provider',
    ).to.deep.equal([]);
    expect(found.has('ap-southeast-6')).to.equal(false);
  });

  it('agrees with the provider: it refuses what the provider refuses, and a partition the provider takes but the stack does not', () => {
    const { terraform, pluginDir } = prerequisites as Exclude<typeof prerequisites, string>;
    const regions = ['us-east-1', 'cn-north-1', 'us-moon-1', 'ap-southeast-6'];
    const dir = mkdtempSync(path.join(tmpdir(), 'item-api-regions-'));
    try {
      writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(providerPerRegion(regions)));
      const run = { terraform, cwd: dir };
      runTerraform(run, ['init', '-input=false', '-no-color', `-plugin-dir=${pluginDir}`]);
      let output = '';
      try {
        runTerraform(run, ['plan', '-input=false', '-no-color', '-refresh=false']);
      } catch (error) {
        output = (error as Error).message;
      }
      const refusedByProvider = [...output.matchAll(/invalid AWS Region: (\S+)/g)].map((m) => m[1]).sort();
      expect(refusedByProvider).to.deep.equal(['ap-southeast-6', 'us-moon-1']);
      expect(regions.filter((region) => checkRegion(region) === undefined)).to.deep.equal(['us-east-1']);
      expect(checkRegion('cn-north-1')).to.match(
        /aws-cn partition \(AWS China\), which this stack does not handle/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
