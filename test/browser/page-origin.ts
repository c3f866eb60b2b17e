import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageOrigin {
  /** `http://127.0.0.1:<port>`, as the browser sends it in Origin. */
  readonly origin: string;
  close(): Promise<void>;
}

/** A web page's origin: a server on its own port that answers every path with an empty page. */
export async function servePageOrigin(): Promise<PageOrigin> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end('<!doctype html><title>item-api client</title><p>calls the API from this origin</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
