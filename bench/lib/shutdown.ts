import { rmSync } from 'node:fs';
import type { LocalDynamo } from '#local/local-dynamodb';
import { killChildren } from './child';
import type { CpuModel } from './cpu-model';

/** Filled in as the run starts each piece, so a stop at any point undoes only what exists. */
export interface RunResources {
  readonly stage: string;
  dynamo?: LocalDynamo;
  cpu?: CpuModel;
}

export function installShutdown(held: RunResources, log: (line: string) => void): () => Promise<void> {
  // One stop, however many ways the run ends at once (Ctrl-C reaches npm, tsx and the children
  // together): every caller waits for the same cleanup.
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      killChildren();
      const left = (await held.cpu?.groups?.removeAll()) ?? [];
      if (left.length > 0) log(`could not remove cgroups ${left.join(', ')}: remove them with rmdir`);
      await held.dynamo?.close();
      rmSync(held.stage, { recursive: true, force: true });
    })());
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    process.on(signal, () => {
      log(`\n${signal}: stopping children and removing cgroups...`);
      stop().finally(() => process.exit(code));
    });
  };
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  // Last resort if the process dies some other way: empty groups can go synchronously.
  process.once('exit', () => held.cpu?.groups?.removeAllSync());
  return stop;
}
