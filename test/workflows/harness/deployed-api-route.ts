import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import { buildDeployedApi, type DeployedApi } from './deployed-api';

/**
 * How a workflow step reaches a deployed API here: on GitHub, `https://<api-id>.execute-api.<region>
 * .amazonaws.com/<stage>` resolves through DNS to API Gateway's TLS endpoint. Here the runner's
 * environment names an HTTPS proxy (HTTPS_PROXY, with NODE_USE_ENV_PROXY so Node's fetch uses it,
 * and NODE_EXTRA_CA_CERTS trusting a certificate authority made for the run): for an execute-api
 * host whose API exists on moto, the proxy terminates TLS with a certificate for that host and
 * hands the connection to the deployed-API stand-in (deployed-api.ts); every other host is refused,
 * as the internet is out of reach. Loopback (moto, the GitHub API stand-in) bypasses the proxy
 * (NO_PROXY). No step's command changes: only the environment, as AWS_ENDPOINT_URL does for AWS.
 *
 * What it cannot show: DNS, API Gateway's own certificate and TLS policy, custom domain names, and
 * a client that ignores HTTPS_PROXY (it would get a refused connection here, not the API).
 */
const EXECUTE_API = /^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com:443$/;

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export class DeployedApiRoute {
  private readonly apis = new Map<string, Promise<DeployedApi | undefined>>();
  private readonly contexts = new Map<string, SecureContext>();
  readonly log: string[] = [];

  private constructor(
    private readonly server: Server,
    private readonly certDir: string,
    private readonly endpoint: string,
    private readonly workspacesRoot: string,
    /** Variables for the runner's environment. */
    readonly env: Readonly<Record<string, string>>,
  ) {}

  static async start(options: { endpoint: string; workspacesRoot: string }): Promise<DeployedApiRoute> {
    const certDir = mkdtempSync(path.join(tmpdir(), 'item-api-route-ca-'));
    openssl(
      certDir,
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '1',
      '-subj',
      '/CN=item-api workflow harness CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    );
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const route = new DeployedApiRoute(server, certDir, options.endpoint, options.workspacesRoot, {
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      NODE_USE_ENV_PROXY: '1',
      NODE_EXTRA_CA_CERTS: path.join(certDir, 'ca.pem'),
      NO_PROXY: '127.0.0.1,localhost',
    });
    server.on('connect', (req, socket) => {
      route.connect(req.url ?? '', socket).catch((error: unknown) => {
        route.log.push(`CONNECT ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
        socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      });
    });
    server.on('request', (_req, res) => res.writeHead(403).end('no internet on this runner'));
    return route;
  }

  private async connect(target: string, socket: import('node:stream').Duplex): Promise<void> {
    const match = EXECUTE_API.exec(target);
    if (match === null) {
      this.log.push(`CONNECT ${target}: refused (only deployed APIs are reachable)`);
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const [host] = target.split(':') as [string];
    const [, restApiId, region] = match as unknown as [string, string, string];
    const key = `${region}/${restApiId}`;
    if (!this.apis.has(key)) {
      this.apis.set(
        key,
        buildDeployedApi({
          endpoint: this.endpoint,
          region,
          restApiId,
          workspacesRoot: this.workspacesRoot,
          log: (line) => this.log.push(line),
        }),
      );
    }
    const api = await this.apis.get(key);
    if (api === undefined) {
      this.log.push(`CONNECT ${target}: no such API on moto (as DNS would not resolve it)`);
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    api.serve(
      new TLSSocket(socket as import('node:net').Socket, {
        isServer: true,
        secureContext: this.contextFor(host),
      }),
    );
  }

  private contextFor(host: string): SecureContext {
    let context = this.contexts.get(host);
    if (context === undefined) {
      const dir = this.certDir;
      writeFileSync(
        path.join(dir, `${host}.ext`),
        `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`,
      );
      openssl(
        dir,
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        `${host}.key`,
        '-out',
        `${host}.csr`,
        '-subj',
        `/CN=${host}`,
      );
      openssl(
        dir,
        'x509',
        '-req',
        '-in',
        `${host}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        `${host}.pem`,
        '-days',
        '1',
        '-extfile',
        `${host}.ext`,
      );
      context = createSecureContext({
        key: readFileSync(path.join(dir, `${host}.key`)),
        cert: readFileSync(path.join(dir, `${host}.pem`)),
      });
      this.contexts.set(host, context);
    }
    return context;
  }

  /** Stops every API served so far; the next request builds it again from what moto holds then. */
  async forget(): Promise<void> {
    const apis = [...this.apis.values()];
    this.apis.clear();
    for (const api of apis) await (await api.catch(() => undefined))?.stop();
  }

  async stop(): Promise<void> {
    await this.forget();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.certDir, { recursive: true, force: true });
  }
}
