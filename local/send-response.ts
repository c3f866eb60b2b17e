import type { ServerResponse } from 'node:http';

/** Responses that never carry content (RFC 9110 §6.4.1): no body and no Content-Length of 0. */
const NO_CONTENT = new Set([204, 304]);

export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: Buffer,
) {
  if (res.headersSent) return res.destroy();
  if (NO_CONTENT.has(status) || status < 200) {
    res.writeHead(status, headers);
    return res.end();
  }
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  res.writeHead(status, {
    ...(hasContentType || body.length === 0 ? {} : { 'Content-Type': 'application/json' }),
    ...headers,
    'Content-Length': String(body.length),
  });
  res.end(body);
}
