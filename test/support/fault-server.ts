import { DYNAMODB_JSON, type HttpStub, startHttpStub } from './http-stub';

export type Fault =
  | 'stall'
  | 'reset'
  | 'http-500'
  | 'http-503'
  | 'throttling'
  | 'provisioned-throughput'
  | 'malformed-json'
  | 'truncated-body';

/**
 * A real HTTP server standing in for DynamoDB that answers every request with one fault, so the
 * shipped bundle and the real SDK meet it through AWS_ENDPOINT_URL_DYNAMODB.
 */
export function startFaultServer(fault: Fault): Promise<HttpStub> {
  return startHttpStub((req, res) => {
    function error(status: number, type: string) {
      const body = JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${type}`,
        message: `injected ${type}`,
      });
      res.writeHead(status, { 'Content-Type': DYNAMODB_JSON, 'x-amzn-RequestId': 'FAULT' });
      res.end(body);
    }
    switch (fault) {
      case 'stall':
        return; // never answers; the client's timeouts must fire
      case 'reset':
        return req.socket.destroy();
      case 'http-500':
        return error(500, 'InternalServerError');
      case 'http-503':
        return error(503, 'ServiceUnavailable');
      case 'throttling':
        return error(400, 'ThrottlingException');
      case 'provisioned-throughput':
        return error(400, 'ProvisionedThroughputExceededException');
      case 'malformed-json':
        res.writeHead(200, { 'Content-Type': DYNAMODB_JSON });
        return res.end('{"Item": {"pk": {"S": "a"');
      case 'truncated-body':
        res.writeHead(200, { 'Content-Type': DYNAMODB_JSON, 'Content-Length': '200' });
        res.write('{"Item": {"pk": {"S": "a"}');
        return setTimeout(() => req.socket.destroy(), 10);
    }
  });
}
