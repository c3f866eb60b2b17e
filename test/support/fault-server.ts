import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | 'stall'
  | 'reset'
  | 'http-500'
  | 'http-503'
  | 'throttling'
  | 'provisioned-throughput'
  | 'malformed-json'
  | 'truncated-body';

const JSON_TYPE = 'application/x-amz-json-1.0';

/**
 * A real HTTP server standing in for DynamoDB that answers every request with one fault, so the
 * shipped bundle and the real SDK meet it through AWS_ENDPOINT_URL_DYNAMODB.
 */
export async function startFaultServer(fault: Fault) {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on('end', () => {
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
          res.writeHead(200, { 'Content-Type': JSON_TYPE });
          return res.end('{"Item": {"pk": {"S": "a"');
        case 'truncated-body':
          res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': '200' });
          res.write('{"Item": {"pk": {"S": "a"}');
          return setTimeout(() => req.socket.destroy(), 10);
      }
    });
    function error(status: number, type: string) {
      const body = JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${type}`,
        message: `injected ${type}`,
      });
      res.writeHead(status, { 'Content-Type': JSON_TYPE, 'x-amzn-RequestId': 'FAULT' });
      res.end(body);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
