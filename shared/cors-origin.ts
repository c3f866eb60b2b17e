/**
 * What may be listed in CORS_ALLOW_ORIGIN (and `corsAllowOrigins`). A browser sends `Origin` as
 * its own serialization of the page's origin (WHATWG URL) and compares `Access-Control-Allow-Origin`
 * with it byte for byte, so an entry is valid when it equals its own serialization:
 * `new URL(entry).origin === entry`. On top of that, hosts must be DNS names or IP addresses a
 * browser can reach. Each problem says what a browser would send instead, where there is an answer.
 *
 * The handler parses its config with this once, at init; `URL` is a Node global, so the rule adds
 * no URL library to the bundle.
 */
import { inQuotes } from './quoted';

/** DNS: a label is 1 to 63 octets, a name at most 253 (RFC 1035 §2.3.4, written without the final dot). */
const DNS = { labelOctets: 63, nameOctets: 253 } as const;

/** Long entries are cut in messages, so a 5,000-character host does not become a 5,000-character line. */
const quote = (text: string) => inQuotes(text, { longerThan: 80, keep: 60 });

/** The scheme, authority and the rest of an entry that looks like `scheme://authority…`. */
const SHAPE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)(.*)$/s;

/** Why a browser could never send `origin` in `Origin`, or undefined when it can. */
export function originProblem(origin: string): string | undefined {
  const shown = quote(origin);
  if (origin === '*') return '"*" allows every origin, so it must be the whole setting, not part of a list';
  if (origin === 'null') {
    return '"null" is the origin of sandboxed frames and file:// pages: allowing it would let any such page read the API';
  }
  const shape = SHAPE.exec(origin);
  if (shape === null)
    return `${shown} is not an origin such as https://app.example.com (scheme, host and optional port)`;
  const [, scheme, authority, rest] = shape as unknown as [string, string, string, string];
  if (!/^https?$/i.test(scheme)) return `${shown} must use http or https`;
  if (rest !== '') {
    return `${shown} has a path, query or fragment (${quote(rest)}); an origin is scheme, host and port only, with no trailing slash`;
  }
  if (authority.includes('@')) return `${shown} has a user name; an origin has none`;
  const { host, port } = splitAuthority(authority);
  const portProblem = port === undefined ? undefined : checkPort(port, scheme.toLowerCase());
  if (portProblem !== undefined) return `${shown} ${portProblem}`;
  if (host === '') return `${shown} has no host`;
  if (host.includes('*')) {
    return `${shown} is not a pattern: browsers compare origins exactly, so list each origin (or "*" alone for any)`;
  }

  let serialized: URL;
  try {
    serialized = new URL(origin);
  } catch {
    return `${shown} does not have a valid host: ${quote(host)} is neither a host name nor an IP address`;
  }
  if (/\P{ASCII}/u.test(host)) {
    return `${shown} has a non-ASCII host, which browsers send in punycode: write ${quote(serialized.origin)}`;
  }
  const hostProblem = host.startsWith('[') ? undefined : dnsProblem(serialized.hostname);
  if (hostProblem !== undefined) return `${shown} ${hostProblem}`;
  if (serialized.origin !== origin) {
    return `${shown} is not how browsers write this origin: they send ${quote(serialized.origin)}, so it would never match; write that`;
  }
  return undefined;
}

function splitAuthority(authority: string): { host: string; port?: string } {
  // An IPv6 address is bracketed and full of colons: the port, if any, follows the bracket.
  const at = authority.startsWith('[')
    ? authority.indexOf(':', authority.indexOf(']'))
    : authority.lastIndexOf(':');
  return at < 0 ? { host: authority } : { host: authority.slice(0, at), port: authority.slice(at + 1) };
}

function checkPort(port: string, scheme: string): string | undefined {
  if (port === '') return 'ends with ":" but names no port';
  if (!/^\d+$/.test(port)) return `has the port ${quote(port)}, which is not a number from 1 to 65535`;
  const number = Number(port);
  if (number > 65535) return `has port ${port}, above 65535, the highest port`;
  if (number === 0) return 'has port 0, which no page can be served from';
  if (port.startsWith('0')) return `has the port ${port} with a leading zero; browsers write it ${number}`;
  if ((scheme === 'https' && number === 443) || (scheme === 'http' && number === 80)) {
    return `names its scheme's default port ${number}, which browsers leave out of Origin; remove ":${number}"`;
  }
  return undefined;
}

/** A host name browsers can resolve: DNS labels and length, letters, digits, "-" and "_" only. */
function dnsProblem(hostname: string): string | undefined {
  if (hostname.length > DNS.nameOctets) {
    return `has a host of ${hostname.length} characters; DNS allows ${DNS.nameOctets}`;
  }
  const labels = hostname.split('.');
  if (labels.some((label) => label === '')) {
    return 'has an empty label in its host (a dot at the start or end, or two in a row)';
  }
  const long = labels.find((label) => label.length > DNS.labelOctets);
  if (long !== undefined)
    return `has a host label of ${long.length} characters; DNS allows ${DNS.labelOctets}`;
  if (!/^[a-z0-9_.-]+$/.test(hostname))
    return 'has a host that is not a DNS name (letters, digits, "-" and "_" only)';
  return undefined;
}
