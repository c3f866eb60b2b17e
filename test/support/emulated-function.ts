import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { LocalFunction } from '../../scripts/lib/local-function';
import { REPO_ROOT } from '../../scripts/lib/paths';
import { createRestApiEmulator } from '../../scripts/lib/rest-api-emulator';

/** test/fixtures/lambda/test-function.mjs: a function whose behaviour the path's id picks. */
export const TEST_FUNCTION = path.join(REPO_ROOT, 'test', 'fixtures', 'lambda', 'test-function.mjs');

export interface EmulatedFunction {
  readonly url: string;
  readonly fn: LocalFunction;
  /** Lines the gateway and the function host logged (not the function's own). */
  readonly stackLines: string[];
  close(): Promise<void>;
}

/** The REST emulator in front of the test function, as the local stack wires them, on a free port. */
export async function startEmulatedFunction(): Promise<EmulatedFunction> {
  const stackLines: string[] = [];
  const log = (line: string) => stackLines.push(line);
  const fn = await LocalFunction.start({ bundle: TEST_FUNCTION, env: {}, log, timeoutMs: 3000 });
  const server: Server = createRestApiEmulator((event) => fn.invoke(event), { log });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    fn,
    stackLines,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fn.stop();
    },
  };
}
