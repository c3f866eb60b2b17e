import { expect } from 'chai';
import {
  descendants,
  freePort,
  isAlive,
  type Spawned,
  spawnCollecting,
  waitForOutput,
} from '../support/processes';
import { REPO_ROOT } from '../support/repo-root';
import { signedFetch } from '../support/sigv4-client';

/** `npm start` with API_ACCESS as a user runs it, on free ports; stopped with SIGTERM to its PID. */
async function withNpmStart(
  env: Record<string, string>,
  use: (url: string, spawned: Spawned) => Promise<void>,
) {
  const ports = { api: await freePort(), dynamo: await freePort() };
  const spawned = spawnCollecting('npm', ['start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(ports.api), DYNAMODB_PORT: String(ports.dynamo), ...env },
  });
  let tree: number[] = [];
  try {
    await waitForOutput(spawned, /item-api is running/, 60_000);
    tree = descendants(spawned.child.pid as number);
    await use(`http://127.0.0.1:${ports.api}`, spawned);
  } finally {
    process.kill(spawned.child.pid as number, 'SIGTERM');
    await spawned.exited;
    for (let i = 0; i < 40 && tree.some(isAlive); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const json = async (response: Response) => [
  response.status,
  response.headers.get('cache-control'),
  await response.json(),
];

describe('npm start enforcing API_ACCESS, as a real process', function () {
  this.timeout(120_000);

  it('api-key: no key or a wrong key gets 403 Forbidden (no-store), the key 200, and the preflight allows x-api-key', async () => {
    const key = 'pr0beKey0123456789abcdefXYZ';
    const env = {
      API_ACCESS: 'api-key',
      LOCAL_API_KEYS: `probe=${key}`,
      CORS_ALLOW_ORIGIN: 'https://app.example.com',
    };
    await withNpmStart(env, async (url, spawned) => {
      expect(spawned.output()).to.include(
        'Access:    api-key: probe (no plan in dev: unlimited); send x-api-key',
      );
      const forbidden = [403, 'no-store', { message: 'Forbidden' }];
      expect(await json(await fetch(`${url}/hello`))).to.deep.equal(forbidden);
      expect(await json(await fetch(`${url}/hello`, { headers: { 'x-api-key': `${key}0` } }))).to.deep.equal(
        forbidden,
      );
      expect((await fetch(`${url}/hello`, { headers: { 'x-api-key': key } })).status).to.equal(200);
      const preflight = await fetch(`${url}/hello`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example.com' },
      });
      expect(preflight.headers.get('access-control-allow-headers')).to.include('x-api-key');
    });
  });

  it('iam: unsigned 403 Missing Authentication Token, signed 200, a wrong secret and a 20-minute-old signature 403', async () => {
    const caller = { accessKeyId: 'AKIDNPMSTART', secretAccessKey: 'npm-start-secret' };
    const env = {
      API_ACCESS: 'iam',
      AWS_ACCESS_KEY_ID: caller.accessKeyId,
      AWS_SECRET_ACCESS_KEY: caller.secretAccessKey,
    };
    await withNpmStart(env, async (url) => {
      expect(await json(await fetch(`${url}/hello`))).to.deep.equal([
        403,
        'no-store',
        { message: 'Missing Authentication Token' },
      ]);
      expect((await signedFetch(`${url}/hello`, caller)).status).to.equal(200);
      const wrong = await signedFetch(`${url}/hello`, { ...caller, secretAccessKey: 'guessed' });
      expect(wrong.status).to.equal(403);
      expect(((await wrong.json()) as { message: string }).message).to.match(
        /^The request signature we calculated does not match/,
      );
      const stale = await signedFetch(`${url}/hello`, caller, {
        signingDate: new Date(Date.now() - 20 * 60_000),
      });
      expect(stale.status).to.equal(403);
      expect(((await stale.json()) as { message: string }).message).to.match(/^Signature expired: /);
    });
  });

  it('refuses an unknown mode before building anything, in one line', async () => {
    const spawned = spawnCollecting('npm', ['start'], {
      cwd: REPO_ROOT,
      env: { ...process.env, API_ACCESS: 'open' },
    });
    const { code } = await spawned.exited;
    expect(code).to.not.equal(0);
    expect(spawned.output()).to.include(
      'npm start failed: API_ACCESS: must be one of public, api-key, iam, got "open"\n',
    );
    expect(spawned.output()).to.not.include('dist/handler');
  });
});
