import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { LambdaProcess } from '#local/lambda-process';

/**
 * Logs reach the parent on stdout and stderr, results over the IPC channel, and the parent reads
 * those in no fixed order. A caller that reads `logs` as soon as `invoke` settles (the integration
 * tests, the local stack's access log) must find the invocation's lines there.
 */
describe('LambdaProcess: an invocation settles with its log lines already read (real process)', function () {
  this.timeout(30_000);
  let dir = '';
  let fn: LambdaProcess | undefined;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'item-api-logs-'));
    const bundle = path.join(dir, 'index.mjs');
    // Lines larger than a pipe's buffer, on both streams, written just before the result is sent:
    // the result's IPC message is then in flight while the last part of each line is not yet read.
    writeFileSync(
      bundle,
      `export const handler = async (event) => {
  const pad = 'x'.repeat(200_000);
  process.stdout.write(JSON.stringify({ id: event.id, stream: 'stdout', pad }) + '\\n');
  console.error(JSON.stringify({ id: event.id, stream: 'stderr', pad }));
  return { statusCode: 200, body: String(event.id) };
};
`,
    );
    fn = await LambdaProcess.start({ bundle, env: {} });
  });
  after(async () => {
    await fn?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds each invocation until every byte written before its result has been read', async () => {
    const process = fn as LambdaProcess;
    for (let id = 0; id < 40; id++) {
      const result = await process.invoke({ id } as never);
      expect(result.body).to.equal(String(id));
      const lines = process.logs.map((line) => JSON.parse(line) as { id: number; stream: string });
      const mine = lines.filter((line) => line.id === id).map((line) => line.stream);
      expect(mine, `invocation ${id}`).to.have.members(['stdout', 'stderr']);
    }
  });
});
