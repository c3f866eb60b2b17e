import { connect } from 'node:net';

/** Sends `request` as written on a fresh connection and returns everything the server answers before it closes (send `Connection: close`). */
export function rawHttp(url: string, request: string): Promise<string> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}
