import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback';

/**
 * A loopback HTTP server that answers the way a misconfigured URL, a broken proxy or an attacker
 * might, for trying the smoke test's client (.github/scripts/lib/http-probe.ts) as an adversary
 * would. Each behaviour is one the smoke must neither pass nor misreport.
 */
export type Hostility =
  /** 302 to `location` (another server, or itself: a loop). */
  | { kind: 'redirect'; status?: number; location: string }
  /** Headers of a 200 JSON answer, then the connection is reset. */
  | { kind: 'reset-after-headers' }
  /** Headers of a 200 JSON answer, a few bytes, then nothing more. */
  | { kind: 'stall-body' }
  /** A 200 whose body never ends (megabytes as fast as the client reads). */
  | { kind: 'endless-body' }
  /** The connection is closed before any answer. */
  | { kind: 'reset' };

export interface HostileServer {
  readonly url: string;
  /** Requests received so far. */
  readonly requests: number;
  /** Body bytes written so far, over every request. */
  readonly bytesWritten: number;
  close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'a');

export interface HostileOptions {
  /** Be hostile to the first `times` requests only, then answer with `afterwards` (a server that recovers). @default always */
  readonly times?: number;
  readonly afterwards?: (req: IncomingMessage, res: ServerResponse) => void;
}

export async function startHostileServer(
  hostility: Hostility,
  options: HostileOptions = {},
): Promise<HostileServer> {
  let requests = 0;
  let bytesWritten = 0;

  const server = createServer((req, res) => {
    requests++;
    if (options.afterwards && requests > (options.times ?? Number.POSITIVE_INFINITY))
      return options.afterwards(req, res);
    switch (hostility.kind) {
      case 'redirect':
        res.writeHead(hostility.status ?? 302, { Location: hostility.location });
        return res.end();
      case 'reset':
        return req.socket.destroy();
      case 'reset-after-headers':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
        res.write('{"pk":');
        bytesWritten += 6;
        // Long enough for a loaded machine to deliver the headers first.
        return setTimeout(() => req.socket.destroy(), 250);
      case 'stall-body':
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
        res.write('{"pk":');
        bytesWritten += 6;
        return; // never finishes: the client's timeout must fire
      case 'endless-body': {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const pump = () => {
          let room = true;
          while (room && !res.destroyed) {
            room = res.write(CHUNK);
            bytesWritten += CHUNK.length;
          }
        };
        res.on('drain', pump);
        return pump();
      }
    }
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    get requests() {
      return requests;
    },
    get bytesWritten() {
      return bytesWritten;
    },
    close,
  };
}

/** A port on loopback that nothing listens on: connecting is refused. */
export async function refusedUrl(): Promise<string> {
  const { url, close } = await listenOnLoopback(createServer());
  await close();
  return url;
}
