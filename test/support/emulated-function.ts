import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { LocalFunction } from '#local/local-function';
import {
  type AccessLogEntry,
  createRestApiEmulator,
  type Invoke,
  type RestApiEmulatorOptions,
} from '#local/rest-api-emulator';
import { REPO_ROOT } from './repo-root';

/** test/fixtures/lambda/test-function.mjs: a function whose behaviour the path's id picks. */
export const TEST_FUNCTION = path.join(REPO_ROOT, 'test', 'fixtures', 'lambda', 'test-function.mjs');

export interface EmulatedGateway {
  readonly url: string;
  /** Every request it answered, in order. */
  readonly access: AccessLogEntry[];
  /** Lines the gateway and the function host logged (not the function's own). */
  readonly stackLines: string[];
  close(): Promise<void>;
}

export interface EmulatedFunction extends EmulatedGateway {
  readonly fn: LocalFunction;
}

type GatewayOptions = Omit<RestApiEmulatorOptions, 'log' | 'onAccess'>;

/** The REST emulator in front of the test function, as the local stack wires them, on a free port. */
export async function startEmulatedFunction(options: GatewayOptions = {}): Promise<EmulatedFunction> {
  const stackLines: string[] = [];
  const fn = await LocalFunction.start({
    bundle: TEST_FUNCTION,
    env: {},
    log: (line) => stackLines.push(line),
    timeoutMs: 3000,
  });
  const gateway = await serveEmulator((event) => fn.invoke(event), options, stackLines);
  return {
    ...gateway,
    fn,
    close: async () => {
      await gateway.close();
      await fn.stop();
    },
  };
}

/** A REST emulator with these settings in front of `invoke`, on a free port. */
export async function serveEmulator(
  invoke: Invoke,
  options: GatewayOptions = {},
  stackLines: string[] = [],
): Promise<EmulatedGateway> {
  const access: AccessLogEntry[] = [];
  const server: Server = createRestApiEmulator(invoke, {
    ...options,
    log: (line) => stackLines.push(line),
    onAccess: (entry) => access.push(entry),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    access,
    stackLines,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
