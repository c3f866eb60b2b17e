import { createHash } from 'node:crypto';

/**
 * What API Gateway says about an `Authorization` header on a path or method the API does not
 * define: it reads the header as an AWS Signature Version 4 and answers 403 with the first thing
 * wrong with it (assumption `unknown-route-authorization`, docs/api-gateway-assumptions.md).
 *
 * Confirmed by captured answers: a "Scheme token" value gets "Invalid key=value pair (missing
 * equal-sign) in Authorization header…" (older answers: "'token' not a valid key=value pair…"),
 * and a value without a space gets the list of SigV4 parameters it lacks. Unverified: what the
 * "(hashed with SHA-256 and encoded with Base64)" tail of newer answers hashes (here the whole
 * value), and the answer to a value that has every parameter (no capture; here the mismatch a
 * signature the emulator cannot verify would get).
 */

/** The parameters a SigV4 `Authorization` header must carry, in the order AWS lists them. */
const SIGV4_PARAMETERS = ['Credential', 'Signature', 'SignedHeaders'] as const;

const hashed = (value: string) => createHash('sha256').update(value).digest('base64');

/** What API Gateway says about a signature it could not verify (a wrong secret, a changed signed part). */
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The answer's message, or undefined when the request has no Authorization header worth reading. */
export function authorizationHeaderMessage(
  value: string | undefined,
  hasDateHeader: boolean,
): string | undefined {
  if (!value?.trim()) return undefined;
  return malformedAuthorizationMessage(value, hasDateHeader) ?? SIGNATURE_MISMATCH;
}

/**
 * What API Gateway says about an Authorization header that is not a complete SigV4 one, on any
 * route (iam mode verifies the rest, local/sigv4-verifier.ts); undefined when it has every part.
 */
export function malformedAuthorizationMessage(value: string, hasDateHeader: boolean): string | undefined {
  const header = value.trim();
  const space = header.search(/\s/);
  const parameters =
    space === -1
      ? []
      : header
          .slice(space + 1)
          .split(',')
          .map((parameter) => parameter.trim());
  if (parameters.some((parameter) => !parameter.includes('='))) {
    return `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hashed(header)}'.`;
  }
  const names = new Set(parameters.map((parameter) => parameter.slice(0, parameter.indexOf('=')).trim()));
  const missing = [
    ...SIGV4_PARAMETERS.filter((name) => !names.has(name)).map(
      (name) => `Authorization header requires '${name}' parameter.`,
    ),
    ...(hasDateHeader
      ? []
      : ["Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."]),
  ];
  return missing.length > 0 ? `${missing.join(' ')} Authorization=${hashed(header)}` : undefined;
}
