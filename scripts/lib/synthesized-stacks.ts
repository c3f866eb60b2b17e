import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface SynthesizedStack {
  readonly name: string;
  /** Absolute path of the folder holding the stack's cdk.tf.json. */
  readonly dir: string;
}

/** The stacks in a cdktf output folder, from its manifest, in synthesis order. */
export function synthesizedStacks(outdir: string): SynthesizedStack[] {
  const manifestPath = path.join(outdir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`${manifestPath} not found; run \`npm run synth\` first`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    stacks?: Record<string, { workingDirectory?: string }>;
  };
  return Object.entries(manifest.stacks ?? {}).map(([name, stack]) => ({
    name,
    dir: path.resolve(outdir, stack.workingDirectory ?? path.join('stacks', name)),
  }));
}
