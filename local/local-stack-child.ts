import type { LocalAccess } from './access-gate';
import { SAMPLE_ITEMS_FILE, startLocalStack } from './local-stack';

/**
 * The local stack in a process of its own, so a load generator in the parent does not share (and
 * blur) its memory readings or its timing. Reports its URL and the function's pid over IPC; stops
 * on disconnect. LOCAL_STACK_ACCESS, a LocalAccess as JSON, sets who may call (default public).
 */
async function main(): Promise<void> {
  const access = process.env.LOCAL_STACK_ACCESS
    ? (JSON.parse(process.env.LOCAL_STACK_ACCESS) as LocalAccess)
    : undefined;
  const stack = await startLocalStack({
    port: 0,
    dynamoPort: 0,
    seedFile: SAMPLE_ITEMS_FILE,
    access,
  });
  process.send?.({ apiUrl: stack.apiUrl, functionPid: stack.lambda.pid });
  // The parent asks for readings after a full GC, so garbage not yet collected is not read as growth.
  process.on('message', (message: unknown) => {
    if (message !== 'memory') return;
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ memory: process.memoryUsage() });
  });
  process.once('disconnect', () => {
    stack.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
