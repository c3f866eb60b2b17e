import type { ServerResponse } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { send } from './send-response';

export function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  const result = value as APIGatewayProxyResult | null;
  return (
    typeof result === 'object' &&
    result !== null &&
    Number.isInteger(result.statusCode) &&
    result.statusCode >= 100 &&
    result.statusCode <= 599 &&
    (result.body === undefined || typeof result.body === 'string')
  );
}

/**
 * The function's answer, as API Gateway relays it. Its body is sent as is, to HEAD too (the HTTP
 * server then drops it from the wire); a Content-Length the function sets is passed on as
 * `x-amzn-Remapped-Content-Length`, as API Gateway REST does, and the real one is the body's.
 */
export function sendResult(res: ServerResponse, result: APIGatewayProxyResult, requestId: string) {
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64') : Buffer.from(result.body ?? '');
  const headers: Record<string, string | string[]> = Object.create(null);
  headers['x-amzn-RequestId'] = requestId;
  const relayed = (name: string) =>
    name.toLowerCase() === 'content-length' ? 'x-amzn-Remapped-Content-Length' : name;
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[relayed(name)] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[relayed(name)] = values.map(String);
  send(res, result.statusCode, headers, body);
}
