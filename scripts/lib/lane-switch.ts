import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LANES, type LaneName, type ToolchainLane } from '#shared/toolchain';

/** The one setting, as shared/toolchain.ts writes it. */
const SETTING = /^export const TOOLCHAIN_LANE: LaneName = '([\w-]+)';$/m;

export const TOOLCHAIN_FILE = path.join('shared', 'toolchain.ts');
/** The only file that imports the CDK and the bindings, so the only one a rename touches. */
export const BINDINGS_FILE = path.join('infra', 'toolchain.ts');

/** The lane a checkout is on, read from its shared/toolchain.ts. */
export function laneOf(root: string): LaneName {
  const name = SETTING.exec(readFileSync(path.join(root, TOOLCHAIN_FILE), 'utf8'))?.[1];
  if (name === undefined || !(name in LANES)) {
    throw new Error(`${TOOLCHAIN_FILE} in ${root} has no TOOLCHAIN_LANE setting naming a known lane`);
  }
  return name as LaneName;
}

/** shared/toolchain.ts with the setting pointing at `to`. */
export function withLaneSetting(source: string, to: LaneName): string {
  if ((source.match(new RegExp(SETTING.source, 'gm')) ?? []).length !== 1) {
    throw new Error(`${TOOLCHAIN_FILE} must hold exactly one TOOLCHAIN_LANE setting`);
  }
  return source.replace(SETTING, `export const TOOLCHAIN_LANE: LaneName = '${to}';`);
}

/** infra/toolchain.ts importing `to`'s CDK and bindings packages instead of `from`'s. */
export function withBindingImports(source: string, from: ToolchainLane, to: ToolchainLane): string {
  let result = source;
  for (const [a, b] of [
    [from.awsBindings.name, to.awsBindings.name],
    [from.cdk.name, to.cdk.name],
  ] as const) {
    if (a === b) continue;
    // Only module specifiers: the quoted name alone, or followed by a subpath.
    result = result.replace(
      new RegExp(`'${escapeRegExp(a)}(/[^']*)?'`, 'g'),
      (_match, rest = '') => `'${b}${rest}'`,
    );
  }
  return result;
}

type Manifest = {
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

/** package.json with `from`'s toolchain packages replaced by `to`'s, pinned exactly. */
export function withLanePackages(manifest: Manifest, from: ToolchainLane, to: ToolchainLane): Manifest {
  const drop = new Set(
    [from.cdk, from.cdkCli, from.constructs, from.awsBindings, from.nodeBinary].map((p) => p.name),
  );
  const without = (deps: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries(deps).filter(([name]) => !drop.has(name)));
  const sorted = (deps: Record<string, string>) =>
    Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  const dev = without(manifest.devDependencies);
  for (const p of [to.cdk, to.cdkCli, to.constructs, to.awsBindings]) dev[p.name] = p.version;
  return {
    ...manifest,
    engines: { ...manifest.engines, node: to.toolchainNode },
    devDependencies: sorted(dev),
    optionalDependencies: sorted({
      ...without(manifest.optionalDependencies),
      [to.nodeBinary.name]: to.nodeBinary.version,
    }),
  };
}

/**
 * The switch itself, in a checkout at `root`: the setting, package.json and, when the CDK's package
 * names change, infra/toolchain.ts's imports. Returns the files it changed. package-lock.json and
 * .terraform.lock.hcl are regenerated afterwards (`npm install`, `npm run lock:provider`).
 */
export function switchLane(root: string, to: LaneName): string[] {
  const from = laneOf(root);
  const changed: string[] = [];
  const edit = (file: string, change: (text: string) => string) => {
    const full = path.join(root, file);
    const before = readFileSync(full, 'utf8');
    const after = change(before);
    if (after !== before) {
      writeFileSync(full, after);
      changed.push(file);
    }
  };
  edit(TOOLCHAIN_FILE, (text) => withLaneSetting(text, to));
  edit(BINDINGS_FILE, (text) => withBindingImports(text, LANES[from], LANES[to]));
  edit('package.json', (text) => {
    const manifest = withLanePackages(JSON.parse(text) as Manifest, LANES[from], LANES[to]);
    return `${JSON.stringify(manifest, null, 2)}\n`;
  });
  return changed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
