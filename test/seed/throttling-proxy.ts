import { request } from 'node:http';
import { DYNAMODB_JSON, type HttpStub, startHttpStub } from '../support/http-stub';

export interface Throttling {
  /** BatchWriteItem calls passed through before every further one is throttled. */
  readonly allowedWrites: number;
  /**
   * The BatchWriteItem call (counting from 1) that DynamoDB only half does: the first half of its
   * items are written, the rest come back as UnprocessedItems, as a partly throttled batch does.
   */
  readonly halfDoneWrite?: number;
}

const BATCH_WRITE = 'DynamoDB_20120810.BatchWriteItem';

/**
 * Stands in for DynamoDB throttling a table part-way through a bulk load: a real HTTP server in
 * front of dynalite that passes BatchWriteItem calls (and every other call) through, then answers
 * every further BatchWriteItem as DynamoDB does when a table's throughput is exceeded: HTTP 400
 * with `ThrottlingException` and "Rate exceeded". The SDK retries that as it would against AWS, so
 * the seed meets the failure only after its retries, and the batches before it are really in the
 * table. One call can be half done instead, with the rest of its items unprocessed.
 */
export function startThrottlingProxy(dynamoEndpoint: string, throttling: Throttling): Promise<HttpStub> {
  const target = new URL(dynamoEndpoint);
  let writes = 0;
  return startHttpStub((req, res, body) => {
    const isWrite = req.headers['x-amz-target'] === BATCH_WRITE;
    if (isWrite && ++writes > throttling.allowedWrites) {
      res.writeHead(400, { 'Content-Type': DYNAMODB_JSON, 'x-amzn-RequestId': 'THROTTLED' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
          message: 'Rate exceeded',
        }),
      );
      return;
    }
    let forwarded = body;
    let unprocessed: Record<string, unknown[]> = {};
    if (isWrite && writes === throttling.halfDoneWrite) {
      const input = JSON.parse(body) as { RequestItems: Record<string, unknown[]> };
      const [table, requests] = Object.entries(input.RequestItems)[0] as [string, unknown[]];
      const half = Math.ceil(requests.length / 2);
      forwarded = JSON.stringify({ ...input, RequestItems: { [table]: requests.slice(0, half) } });
      unprocessed = { [table]: requests.slice(half) };
    }
    const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(forwarded)) };
    const forward = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      (upstream) => {
        const chunks: Buffer[] = [];
        upstream.on('data', (chunk: Buffer) => chunks.push(chunk));
        upstream.on('end', () => {
          let answer = Buffer.concat(chunks).toString('utf8');
          if (Object.keys(unprocessed).length > 0)
            answer = JSON.stringify({ ...JSON.parse(answer), UnprocessedItems: unprocessed });
          res.writeHead(upstream.statusCode ?? 500, {
            'Content-Type': DYNAMODB_JSON,
            'Content-Length': Buffer.byteLength(answer),
          });
          res.end(answer);
        });
      },
    );
    forward.on('error', () => res.destroy());
    forward.end(forwarded);
  });
}
