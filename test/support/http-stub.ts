import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback';

export interface HttpStub {
  readonly endpoint: string;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/**
 * A real HTTP server on an ephemeral port that answers each request with `respond`, called once the
 * request body has arrived. Used in place of DynamoDB, so the real SDK meets it through
 * AWS_ENDPOINT_URL_DYNAMODB.
 */
export async function startHttpStub(
  respond: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<HttpStub> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => respond(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    endpoint: url,
    get requests() {
      return requests;
    },
    close,
  };
}

export const DYNAMODB_JSON = 'application/x-amz-json-1.0';

/** A DynamoDB stand-in that answers every GetItem with this exact response body. */
export function startGetItemStub(body: string): Promise<HttpStub> {
  return startHttpStub((_req, res) => {
    res.writeHead(200, { 'Content-Type': DYNAMODB_JSON, 'x-amzn-RequestId': 'STUB' });
    res.end(body);
  });
}
