import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stopChild } from './moto-server';

/**
 * api-gateway-policy-proxy.mjs as a process of its own, in front of moto for API Gateway calls
 * (the file says what it stands in for). Point Terraform at it with AWS_ENDPOINT_URL_API_GATEWAY.
 */
export interface PolicyProxy {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startPolicyProxy(motoEndpoint: string): Promise<PolicyProxy> {
  const dir = mkdtempSync(path.join(tmpdir(), 'item-api-policy-proxy-'));
  const portFile = path.join(dir, 'port');
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(__dirname, 'api-gateway-policy-proxy.mjs'), motoEndpoint, portFile],
    { stdio: 'ignore' },
  );
  const stop = () => stopChild(child, dir);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the policy proxy exited (${child.exitCode})`);
    if (existsSync(portFile) && readFileSync(portFile, 'utf8') !== '') {
      return { endpoint: `http://127.0.0.1:${readFileSync(portFile, 'utf8')}`, stop };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error('the policy proxy did not start within 10 s');
}
