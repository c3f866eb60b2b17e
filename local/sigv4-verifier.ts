import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { ALGORITHM_IDENTIFIER, getCanonicalHeaders, getPayloadHash, SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { malformedAuthorizationMessage, SIGNATURE_MISMATCH } from './authorization-header';
import { splitTarget } from './incoming-request';

/**
 * Verifies an `AWS_IAM` call as API Gateway does, with the AWS SDK's own SigV4 signer: the request
 * is signed again with the one caller's secret, over the headers the caller says it signed, at the
 * time it says it signed, and the two signatures must be equal. The answers are API Gateway's
 * (docs/access.md lists them with their sources). What it does not do: evaluate IAM policies (the
 * caller's identity policy, the resource policy); a correctly signed call is allowed.
 */

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** API Gateway's clock skew: a signature's time may be off by five minutes either way. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const SERVICE = 'execute-api';

export const INVALID_TOKEN = 'The security token included in the request is invalid.';

/** Why a signed request is refused, as API Gateway says it; undefined when it is correctly signed. */
export type SignatureProblem = {
  readonly type: 'INVALID_SIGNATURE' | 'ACCESS_DENIED';
  readonly message: string;
};

class ExplainingSigner extends SignatureV4 {
  /** The canonical request and string to sign the server computed: API Gateway shows both on a mismatch. */
  async explain(request: HttpRequest, signed: Set<string>, longDate: string, scope: string) {
    const canonical = this.createCanonicalRequest(
      request,
      getCanonicalHeaders(request, undefined, signed),
      await getPayloadHash(request, this.sha256),
    );
    return {
      canonical,
      stringToSign: await this.createStringToSign(longDate, scope, canonical, ALGORITHM_IDENTIFIER),
    };
  }
}

export function createSigV4Verifier(credentials: Credentials, region: string, now: () => number = Date.now) {
  const signer = new ExplainingSigner({
    service: SERVICE,
    region,
    credentials,
    sha256: Hash.bind(null, 'sha256'),
    // Callers choose whether to sign a payload hash; the signer must not add one they did not send.
    applyChecksum: false,
  });

  return async function verify(req: IncomingMessage, body: Buffer): Promise<SignatureProblem | undefined> {
    const header = req.headers.authorization ?? '';
    const parsed = parseAuthorization(header, req.headers);
    if (typeof parsed === 'string') return { type: 'INVALID_SIGNATURE', message: parsed };
    const { accessKeyId, date, region: scopeRegion, service, signedHeaders, signature } = parsed;
    if (accessKeyId !== credentials.accessKeyId) return { type: 'ACCESS_DENIED', message: INVALID_TOKEN };
    const token = req.headers['x-amz-security-token'];
    if ((credentials.sessionToken ?? undefined) !== (token === undefined ? undefined : String(token)))
      return { type: 'ACCESS_DENIED', message: INVALID_TOKEN };

    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined)
      return { type: 'INVALID_SIGNATURE', message: `Invalid X-Amz-Date: ${JSON.stringify(amzDate)}` };
    const clock = now();
    if (signedAt < clock - MAX_CLOCK_SKEW_MS)
      return {
        type: 'INVALID_SIGNATURE',
        message: `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(clock - MAX_CLOCK_SKEW_MS)} (${formatAmzDate(clock)} - 5 min.)`,
      };
    if (signedAt > clock + MAX_CLOCK_SKEW_MS)
      return {
        type: 'INVALID_SIGNATURE',
        message: `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(clock + MAX_CLOCK_SKEW_MS)} (${formatAmzDate(clock)} + 5 min.)`,
      };
    if (date !== amzDate.slice(0, 8))
      return {
        type: 'INVALID_SIGNATURE',
        message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      };
    if (scopeRegion !== region)
      return {
        type: 'INVALID_SIGNATURE',
        message: `Credential should be scoped to a valid region, not '${scopeRegion}'. `,
      };
    if (service !== SERVICE)
      return {
        type: 'INVALID_SIGNATURE',
        message: `Credential should be scoped to correct service: '${SERVICE}'. `,
      };

    const request = signableRequest(req, signedHeaders, body);
    const signed = new Set(signedHeaders);
    const resigned = await signer.sign(request, { signingDate: new Date(signedAt), signableHeaders: signed });
    const expected = /Signature=([0-9a-f]{64})/.exec(String(resigned.headers.authorization))?.[1] ?? '';
    const sameHeaders =
      /SignedHeaders=([^,]+)/.exec(String(resigned.headers.authorization))?.[1] === signedHeaders.join(';');
    if (sameHeaders && equal(expected, signature)) return undefined;
    const { canonical, stringToSign } = await signer.explain(
      request,
      signed,
      amzDate,
      `${date}/${region}/${SERVICE}/aws4_request`,
    );
    return {
      type: 'INVALID_SIGNATURE',
      message: `${SIGNATURE_MISMATCH}\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
    };
  };
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** The Authorization header's parts, or API Gateway's message for a malformed one. */
function parseAuthorization(
  header: string,
  headers: IncomingMessage['headers'],
): ParsedAuthorization | string {
  const malformed = malformedAuthorizationMessage(
    header,
    headers['x-amz-date'] !== undefined || headers.date !== undefined,
  );
  if (malformed !== undefined) return malformed;
  const [algorithm, ...rest] = header.trim().split(/\s+/);
  // Every part is there, under a name SigV4 does not sign with: nothing can match.
  if (algorithm !== ALGORITHM_IDENTIFIER) return SIGNATURE_MISMATCH;
  const fields = new Map(
    rest
      .join(' ')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')).trim(), pair.slice(pair.indexOf('=') + 1)]),
  );
  const [accessKeyId = '', date = '', region = '', service = ''] = (fields.get('Credential') ?? '').split(
    '/',
  );
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: (fields.get('SignedHeaders') ?? '').split(';'),
    signature: fields.get('Signature') ?? '',
  };
}

/** The request as the caller signed it: its path and query, and the headers it named. */
function signableRequest(req: IncomingMessage, signedHeaders: readonly string[], body: Buffer): HttpRequest {
  const { path, query } = splitTarget(req.url ?? '/');
  const queryObject: Record<string, string | string[]> = {};
  for (const name of new Set(query.keys())) {
    const values = query.getAll(name);
    queryObject[name] = values.length === 1 ? (values[0] as string) : values;
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    method: req.method ?? 'GET',
    protocol: 'http:',
    hostname: String(req.headers.host ?? '').replace(/:\d+$/, ''),
    path,
    query: queryObject,
    headers,
    body: body.length > 0 ? body : undefined,
  };
}

const equal = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `20261202T141557Z` as ms since the epoch, or undefined. */
export function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const ms = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
