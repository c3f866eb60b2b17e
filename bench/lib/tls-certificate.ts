import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CaTrust } from './options';

export interface BenchCertificate {
  /** PEM of the run's own certificate authority: what NODE_EXTRA_CA_CERTS points the functions at. */
  readonly caFile: string;
  readonly ca: string;
  /** The server's key and certificate (signed by that CA, valid for 127.0.0.1 and localhost). */
  readonly key: string;
  readonly cert: string;
}

/**
 * A certificate authority and a server certificate made for one bench run, so the local DynamoDB
 * speaks TLS as the real endpoint does (dynalite's bundled certificate expired in 2018). RSA 2048
 * with a CA above the leaf, like the chain DynamoDB presents, so the client verifies a signature
 * the same way. Nothing weakens verification: the functions trust the CA through
 * NODE_EXTRA_CA_CERTS, which Lambda honours too.
 */
export function createBenchCertificate(dir: string): BenchCertificate {
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
      throw new Error(
        `openssl ${args[0]} failed (the bench needs openssl to make its TLS certificate): ${stderr || String(error)}`,
      );
    }
  };
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=item-api bench CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    file('ca-key.pem'),
    '-out',
    file('ca.pem'),
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    file('server-key.pem'),
    '-out',
    file('server.csr'),
  );
  writeFileSync(
    file('server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca-key.pem'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  return {
    caFile: file('ca.pem'),
    ca: readFileSync(file('ca.pem'), 'utf8'),
    key: readFileSync(file('server-key.pem'), 'utf8'),
    cert: readFileSync(file('server.pem'), 'utf8'),
  };
}

/**
 * The environment that makes a function trust the run's CA, without touching its code.
 *
 * - `extra-ca`: NODE_EXTRA_CA_CERTS. Node then builds its root certificate store at start-up,
 *   before the function's code runs, where without it (as on Lambda, unless you set it) the first
 *   TLS connection builds it: the first request of a function that does not prime TLS looks a few
 *   ms of CPU cheaper than it is. Conservative for item-api, which builds the store during init.
 * - `openssl-store`: Node's bundled roots plus the CA in one file, read through OpenSSL's store
 *   (--use-openssl-ca). Built lazily like the default store, but reading a file costs a little
 *   more than Node's compiled-in roots.
 */
export function caTrustEnv(
  mode: CaTrust,
  certificate: BenchCertificate,
  node22: string,
  dir: string,
): Record<string, string> {
  if (mode === 'extra-ca') return { NODE_EXTRA_CA_CERTS: certificate.caFile };
  const bundle = path.join(dir, 'roots-and-bench-ca.pem');
  // Written by Node 22 itself, whose bundled roots these are (a pipe could cut a large output short).
  const write = `const fs = require('node:fs'); fs.writeFileSync(process.argv[1], require('node:tls').rootCertificates.join('\\n') + '\\n' + fs.readFileSync(process.argv[2], 'utf8'))`;
  execFileSync(node22, ['-e', write, bundle, certificate.caFile]);
  const noDir = path.join(dir, 'no-certs');
  mkdirSync(noDir, { recursive: true });
  return { NODE_OPTIONS: '--use-openssl-ca', SSL_CERT_FILE: bundle, SSL_CERT_DIR: noDir };
}
