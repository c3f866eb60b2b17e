import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BENCH_TABLE } from './fixture';
import { hostNamedEndpoint } from './host-named-endpoint';
import { lambdaEnv } from './lambda-env';
import { stageVariant, VARIANTS, type VariantName } from './variants';

/** The memory size Lambda reports to the function when the bench runs it at full CPU. */
const FULL_CPU_MEMORY_MB = 1769;

export interface StagedFunctions {
  /** The copy of cold-child.mjs beside the staged bundles. */
  readonly coldChild: string;
  readonly stagedEntry: (name: VariantName) => string;
  readonly endpoint: string;
  readonly env: (name: VariantName, memoryMb?: number) => Record<string, string>;
}

export async function stageFunctions(
  stage: string,
  dynamoEndpoint: string,
  caTrustEnv: Readonly<Record<string, string>>,
): Promise<StagedFunctions> {
  const home = path.join(stage, 'home');
  mkdirSync(home);
  const staged = new Map<VariantName, string>();
  for (const variant of VARIANTS) if (variant.entry) staged.set(variant.name, stageVariant(variant, stage));
  const coldChild = path.join(stage, 'cold-child.mjs');
  copyFileSync(path.join(__dirname, 'cold-child.mjs'), coldChild);
  const stagedEntry = (name: VariantName) => {
    const entry = staged.get(name);
    if (!entry) throw new Error(`${name} has no staged bundle`);
    return entry;
  };
  const endpoint = await hostNamedEndpoint(dynamoEndpoint);
  const env = (name: VariantName, memoryMb = FULL_CPU_MEMORY_MB) =>
    lambdaEnv({
      tableName: BENCH_TABLE,
      endpoint,
      taskRoot: staged.has(name) ? path.dirname(stagedEntry(name)) : stage,
      home,
      memoryMb,
      caTrustEnv,
    });
  return { coldChild, stagedEntry, endpoint, env };
}
