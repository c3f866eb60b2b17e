import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import { listenOnLoopback } from './loopback';

/**
 * Stands in for an API Gateway that behaves otherwise than the emulator assumes in exactly one
 * respect: a proxy in front of the local stack that rewrites the requests it passes on, or the
 * answers it passes back, the way AWS would if one assumption (docs/api-gateway-assumptions.md)
 * were wrong. With no flip it passes everything through unchanged, so a smoke case that fails
 * through it fails because of the flip alone.
 */

export interface ProxiedRequest {
  readonly method: string;
  /** The raw request target, still percent-encoded. */
  readonly path: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

export interface ProxiedResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: Buffer;
}

export interface Flip {
  /** What AWS would be doing instead. */
  readonly means: string;
  readonly request?: (req: ProxiedRequest) => ProxiedRequest | ProxiedResponse;
  readonly response?: (res: ProxiedResponse, req: ProxiedRequest) => ProxiedResponse;
}

export interface FlippingGateway {
  readonly url: string;
  close(): Promise<void>;
}

/** Headers that belong to one hop and are recomputed by the proxy's own HTTP server. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

function plain(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined || HOP_BY_HOP.has(name)
        ? []
        : [[name, Array.isArray(value) ? value.join(', ') : value]],
    ),
  );
}

const isResponse = (value: ProxiedRequest | ProxiedResponse): value is ProxiedResponse => 'status' in value;

export async function startFlippingGateway(targetUrl: string, flip?: Flip): Promise<FlippingGateway> {
  const target = new URL(targetUrl);
  // Larger than the emulator's limit, so oversized headers reach the emulator and get its answer.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    const incoming: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: plain(req.headers),
    };
    const rewritten = flip?.request ? flip.request(incoming) : incoming;
    const reply = (answer: ProxiedResponse) => {
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    };
    if (isResponse(rewritten)) return reply(rewritten);
    const upstream = request(
      { host: target.hostname, port: target.port, method: rewritten.method, path: rewritten.path, headers: rewritten.headers }, // biome-ignore format: long line
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const passed: ProxiedResponse = {
            status: answer.statusCode ?? 502,
            headers: plain(answer.headers),
            body: Buffer.concat(chunks),
          };
          reply(flip?.response ? flip.response(passed, rewritten) : passed);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end();
  });
  return listenOnLoopback(server);
}

/** A JSON answer as API Gateway gives one itself. */
export function gatewayAnswer(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): ProxiedResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(JSON.stringify({ message })),
  };
}
