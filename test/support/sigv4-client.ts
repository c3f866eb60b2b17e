import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** A caller of an AWS_IAM API, as an AWS SDK client signs: SigV4 for execute-api, with the SDK's own signer. */
export interface Caller {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export async function signedHeaders(
  url: string,
  caller: Caller,
  options: { method?: string; region?: string; signingDate?: Date; headers?: Record<string, string> } = {},
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region ?? 'us-east-1',
    credentials: caller,
    sha256: Hash.bind(null, 'sha256'),
  });
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(target.searchParams.keys())) {
    const values = target.searchParams.getAll(name);
    query[name] = values.length === 1 ? (values[0] as string) : values;
  }
  const signed = await signer.sign(
    {
      method: options.method ?? 'GET',
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query,
      headers: { host: target.host, ...options.headers },
    },
    { signingDate: options.signingDate },
  );
  return signed.headers as Record<string, string>;
}

/** fetch, signed as `caller`; the host header is the URL's, which fetch sends too. */
export async function signedFetch(
  url: string,
  caller: Caller,
  options: Parameters<typeof signedHeaders>[2] = {},
): Promise<Response> {
  const headers = await signedHeaders(url, caller, options);
  const { host: _host, ...rest } = headers;
  return fetch(url, { method: options.method ?? 'GET', headers: rest });
}
