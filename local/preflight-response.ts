import type { ServerResponse } from 'node:http';
import type { AccessMode } from '#shared/access';
import { allowedOrigin, type CorsOrigins, preflightHeaders } from '#shared/response-policy';
import { send } from './send-response';

/**
 * The MOCK integration's answer to `OPTIONS /{id}` (infra/cors-preflight.ts): the allowed methods
 * and headers, and the request's Origin as Allow-Origin only when CORS allows it (a list is
 * echoed through a mapping template that reads the single-value header, the last one sent).
 */
export function sendPreflight(
  res: ServerResponse,
  origins: CorsOrigins,
  requestOrigin: string | undefined,
  requestId: string,
  mode?: AccessMode,
) {
  const origin = allowedOrigin(origins, requestOrigin);
  send(
    res,
    204,
    {
      'Content-Type': 'application/json',
      'x-amzn-RequestId': requestId,
      ...preflightHeaders(origins, mode),
      ...(origin !== undefined && { 'Access-Control-Allow-Origin': origin }),
    },
    Buffer.alloc(0),
  );
}
