import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { LANE } from '#shared/toolchain';
import {
  lockedAwsVersion,
  PROVIDER_LOCK_FILE,
  REQUIRED_TERRAFORM_VERSION,
  SYNTH_WITHOUT_PROVIDER_LOCK,
  synthWithProviderLock,
} from '../../infra/terraform-settings';
import { App, TerraformStack, Testing } from '../../infra/toolchain';
import { defineStacks } from '../../main';
import { REPO_ROOT } from '../support/repo-root';

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
    it(`${name}: requires Terraform >= 1.11.0, where the S3 backend's lock file is generally available`, () => {
      expect(REQUIRED_TERRAFORM_VERSION).to.equal('>= 1.11.0');
      expect(terraform.required_version).to.equal(REQUIRED_TERRAFORM_VERSION);
    });
  }
});

describe('the committed provider lock file', () => {
  const lock = readFileSync(path.join(REPO_ROOT, PROVIDER_LOCK_FILE), 'utf8');
  // infra/toolchain.ts refuses to load unless the installed bindings are generated for this version.
  const version = LANE.awsProvider;

  it("locks the exact hashicorp/aws version the lane's bindings are generated for", () => {
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

describe('synthesizing with the provider lock file', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'item-api-lock-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const synth = (lock: string | undefined, env: Record<string, string> = {}) => {
    if (lock !== undefined) writeFileSync(path.join(root, PROVIDER_LOCK_FILE), lock);
    const app = new App({ outdir: path.join(root, 'out') });
    const stack = new TerraformStack(app, 'one');
    synthWithProviderLock(app, root, [stack], env);
    return path.join(root, 'out', 'stacks', 'one', PROVIDER_LOCK_FILE);
  };
  const committed = readFileSync(path.join(REPO_ROOT, PROVIDER_LOCK_FILE), 'utf8');

  it('reads the version a lock file pins', () => {
    expect(lockedAwsVersion(committed)).to.equal(LANE.awsProvider);
    expect(lockedAwsVersion('# empty\n')).to.equal(undefined);
  });

  it('copies the lock file into every stack folder', () => {
    expect(readFileSync(synth(committed), 'utf8')).to.equal(committed);
  });

  it('refuses a lock file for another provider version, naming the command that regenerates it', () => {
    const other = committed.replaceAll(`"${LANE.awsProvider}"`, '"6.25.0"');
    expect(() => synth(other)).to.throw(
      `locks hashicorp/aws 6.25.0, but the toolchain lane needs ${LANE.awsProvider}`,
    );
    expect(() => synth(other)).to.throw('npm run lock:provider');
  });

  it('refuses to synthesize without a lock file', () => {
    expect(() => synth(undefined)).to.throw('is missing');
  });

  it(`synthesizes without one only when ${SYNTH_WITHOUT_PROVIDER_LOCK}=1 (verify:next's scratch lanes)`, () => {
    expect(existsSync(synth(undefined, { [SYNTH_WITHOUT_PROVIDER_LOCK]: '1' }))).to.equal(false);
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
