import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { PROVIDER_LOCK_FILE, REQUIRED_TERRAFORM_VERSION } from '../../infra/terraform-settings';
import { Testing } from '../../infra/toolchain';
import { defineStacks } from '../../main';
import { REPO_ROOT } from '../support/repo-root';

const providerPackage = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'node_modules', '@cdktf', 'provider-aws', 'package.json'), 'utf8'),
) as { cdktf: { provider: { version: string } } };

describe('what every synthesized stack asks of Terraform', () => {
  const app = Testing.app();
  const stacks = defineStacks(app, { env: {} }).map((stack) => ({
    name: stack.node.id,
    terraform: (JSON.parse(JSON.stringify(stack.toTerraform())) as { terraform: Record<string, unknown> })
      .terraform,
  }));

  it('covers the environment stacks and the bootstrap', () => {
    expect(stacks.map((s) => s.name)).to.include.members(['dev', 'prod', 'bootstrap']);
  });

  for (const { name, terraform } of stacks) {
    it(`${name}: requires Terraform ${REQUIRED_TERRAFORM_VERSION}, the first with S3-native locking`, () => {
      expect(terraform.required_version).to.equal(REQUIRED_TERRAFORM_VERSION);
    });
  }
});

describe('the committed provider lock file', () => {
  const lock = readFileSync(path.join(REPO_ROOT, PROVIDER_LOCK_FILE), 'utf8');
  const { version } = providerPackage.cdktf.provider;

  it('locks the exact hashicorp/aws version @cdktf/provider-aws is generated for', () => {
    expect(lock).to.match(
      new RegExp(
        `provider "registry.terraform.io/hashicorp/aws" \\{\\s+version\\s+= "${version}"\\s+constraints = "${version}"`,
      ),
    );
  });

  it('holds the registry checksums of every platform, so init on macOS or Windows verifies too', () => {
    // One zh: per package the registry publishes for this version (15 for 5.100.0).
    expect(lock.match(/"zh:[0-9a-f]{64}"/g)).to.have.lengthOf(15);
    expect(lock.match(/"h1:[A-Za-z0-9+/]{43}="/g)).to.have.lengthOf.at.least(1);
  });
});

describe('cdktf.json', () => {
  const config = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdktf.json'), 'utf8')) as { app: string };

  it('builds the handler before the app synthesizes, so synth and deploy never zip a stale bundle', () => {
    const build = config.app.indexOf('npm run --silent build');
    const app = config.app.indexOf('main.ts');
    expect(build, config.app).to.be.at.least(0);
    expect(app, config.app).to.be.greaterThan(build);
    // `&&`: a failed build must stop the synth, not deploy whatever dist/ held before.
    expect(config.app.slice(build, app)).to.include('&&');
  });
});
