import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { authorizationHeaderMessage } from '#local/authorization-header';

const hash = (value: string) => createHash('sha256').update(value).digest('base64');
const REQUIRES = (names: string[], date = true) =>
  [
    ...names.map((name) => `Authorization header requires '${name}' parameter.`),
    ...(date ? ["Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."] : []),
  ].join(' ');

describe("the 403 message API Gateway gives an Authorization header on a route it does not have, by the header's shape", () => {
  const cases: { shape: string; value: string | undefined; date?: boolean; expected: string | undefined }[] =
    [
      { shape: 'no header', value: undefined, expected: undefined },
      { shape: 'an empty header (treated as none)', value: '  ', expected: undefined },
      {
        shape: 'a bearer token (captured: "missing equal-sign")',
        value: 'Bearer abc.def',
        expected: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hash('Bearer abc.def')}'.`, // biome-ignore format: long line
      },
      {
        shape: 'Basic credentials without padding',
        value: 'Basic dXNlcjpwYXNz',
        expected: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hash('Basic dXNlcjpwYXNz')}'.`, // biome-ignore format: long line
      },
      {
        shape: 'a bare token, e.g. a JWT sent without a scheme (captured: "requires \'Credential\'")',
        value: 'eyJhbGciOiJIUzI1NiJ9.e30.x',
        expected: `${REQUIRES(['Credential', 'Signature', 'SignedHeaders'])} Authorization=${hash('eyJhbGciOiJIUzI1NiJ9.e30.x')}`, // biome-ignore format: long line
      },
      {
        shape:
          'Basic credentials with padding: every part has an equal sign (captured: "requires \'Credential\'")',
        value: 'Basic dXNlcjpwYXNzd29yZA==',
        expected: `${REQUIRES(['Credential', 'Signature', 'SignedHeaders'])} Authorization=${hash('Basic dXNlcjpwYXNzd29yZA==')}`, // biome-ignore format: long line
      },
      {
        shape: 'a SigV4 header missing its signature, with a date header',
        value:
          'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/execute-api/aws4_request, SignedHeaders=host',
        date: true,
        expected: `${REQUIRES(['Signature'], false)} Authorization=${hash('AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/execute-api/aws4_request, SignedHeaders=host')}`, // biome-ignore format: long line
      },
      {
        shape: 'a complete SigV4 header (unverified: a signature the emulator cannot check never matches)',
        value: 'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', // biome-ignore format: long line
        date: true,
        expected:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.', // biome-ignore format: long line
      },
    ];
  for (const { shape, value, date, expected } of cases) {
    it(shape, () => expect(authorizationHeaderMessage(value, date ?? false)).to.equal(expected));
  }
});
