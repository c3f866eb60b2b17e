import { request } from 'node:http';
import { DYNAMODB_JSON, type HttpStub, startHttpStub } from '../support/http-stub';

/**
 * Stands in for DynamoDB throttling a table part-way through a bulk load: a real HTTP server in
 * front of dynalite that passes the first `allowedWrites` BatchWriteItem calls (and every other
 * call) through, then answers every further BatchWriteItem as DynamoDB does when a table's
 * throughput is exceeded: HTTP 400 with `ThrottlingException` and "Rate exceeded". The SDK retries
 * that as it would against AWS, so the seed meets the failure only after its retries, and the
 * batches before it are really in the table.
 */
export function startThrottlingProxy(dynamoEndpoint: string, allowedWrites: number): Promise<HttpStub> {
  const target = new URL(dynamoEndpoint);
  let writes = 0;
  return startHttpStub((req, res, body) => {
    const isWrite = req.headers['x-amz-target'] === 'DynamoDB_20120810.BatchWriteItem';
    if (isWrite && ++writes > allowedWrites) {
      res.writeHead(400, { 'Content-Type': DYNAMODB_JSON, 'x-amzn-RequestId': 'THROTTLED' });
      res.end(
        JSON.stringify({
          __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
          message: 'Rate exceeded',
        }),
      );
      return;
    }
    const forward = request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 500, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    forward.end(body);
  });
}
