import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HANDLER_BUNDLE } from '#handler/bundle';
import { LambdaProcess } from '#local/lambda-process';
import { localFunctionEnv } from '#local/local-dynamodb';
import { startGetItemStub } from './http-stub';

/**
 * Copies the shipped bundle into an empty folder, so nothing can be resolved from node_modules:
 * what loads there is what loads on Lambda.
 */
export function isolatedBundle(): { bundle: string; cleanup: () => void } {
  if (!existsSync(HANDLER_BUNDLE))
    throw new Error(`${HANDLER_BUNDLE} is missing: run npm run build (npm test does)`);
  const dir = mkdtempSync(path.join(tmpdir(), 'item-api-bundle-'));
  const bundle = path.join(dir, path.basename(HANDLER_BUNDLE));
  copyFileSync(HANDLER_BUNDLE, bundle);
  return { bundle, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs `use` against the shipped bundle, isolated, in a Node 22 process whose DynamoDB is a stub
 * answering every GetItem with `getItemBody`: for what dynalite cannot store. Cleans up after.
 */
export async function withBundleOnStubbedDynamo(
  getItemBody: string,
  use: (lambda: LambdaProcess) => Promise<void>,
): Promise<void> {
  const stub = await startGetItemStub(getItemBody);
  const isolated = isolatedBundle();
  try {
    const lambda = await LambdaProcess.start({
      bundle: isolated.bundle,
      env: { TABLE_NAME: 'items', ...localFunctionEnv(stub.endpoint) },
    });
    try {
      await use(lambda);
    } finally {
      await lambda.stop();
    }
  } finally {
    await stub.close();
    isolated.cleanup();
  }
}
