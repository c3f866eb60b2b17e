import { expect } from 'chai';
import type { LocalAccess } from '#local/access-gate';
import type { UsagePlanSettings } from '#shared/access';
import type { CorsOrigins } from '#shared/response-policy';
import { type EmulatedGateway, serveEmulator } from '../support/emulated-function';
import { type Caller, signedFetch, signedHeaders } from '../support/sigv4-client';

/**
 * The local gateway enforcing each access mode with API Gateway's own answers (docs/access.md):
 * real HTTP against the REST emulator, in front of a function that always answers 200.
 */
const KEY = 'k3yV4lue0123456789abcdef'; // 24 letters and digits, as API Gateway takes a key's value
const OTHER_KEY = 'an0therKeyValue0123456789';
const CALLER: Caller = { accessKeyId: 'AKIDLOCALCALLER', secretAccessKey: 'local-secret-of-the-caller' };
const ITEM = { statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: '{"pk":"hello"}' };

async function gateway(access: LocalAccess, cors?: CorsOrigins): Promise<EmulatedGateway> {
  return serveEmulator(async () => ITEM, { access, corsOrigins: cors });
}

async function expectRefusal(response: Response, status: number, message: string | RegExp) {
  expect(response.status).to.equal(status);
  expect(response.headers.get('content-type')).to.equal('application/json');
  expect(response.headers.get('cache-control')).to.equal('no-store');
  const body = (await response.json()) as { message: string };
  if (typeof message === 'string') expect(body).to.deep.equal({ message });
  else expect(body.message).to.match(message);
}

describe('local access: api-key mode', function () {
  this.timeout(20_000);
  let api: EmulatedGateway;
  const plan: UsagePlanSettings = { throttle: { rateLimit: 1000, burstLimit: 1000 } };
  before(async () => {
    api = await gateway(
      {
        mode: 'api-key',
        keys: [
          { name: 'probe', value: KEY, plan },
          { name: 'free', value: OTHER_KEY },
        ],
      },
      ['https://app.example.com'],
    );
  });
  after(() => api?.close());

  it('answers no key and a wrong key with 403 {"message":"Forbidden"}, no-store and CORS, without invoking', async () => {
    for (const headers of [{}, { 'x-api-key': `${KEY}x` }, { 'x-api-key': '' }] as Record<string, string>[]) {
      const response = await fetch(`${api.url}/hello`, { headers });
      expect(response.headers.get('access-control-allow-origin')).to.equal('https://app.example.com');
      await expectRefusal(response, 403, 'Forbidden');
    }
    expect(api.access.every((entry) => !entry.invokedFunction)).to.equal(true);
  });

  it("lets a listed key through, whatever the header name's case, for GET and HEAD", async () => {
    for (const [method, name] of [
      ['GET', 'x-api-key'],
      ['GET', 'X-API-Key'],
      ['HEAD', 'x-api-key'],
    ] as const) {
      const response = await fetch(`${api.url}/hello`, { method, headers: { [name]: KEY } });
      expect(response.status, `${method} ${name}`).to.equal(200);
    }
  });

  it('answers an unknown route with the JSON 404 before looking at any key', async () => {
    for (const headers of [{}, { 'x-api-key': KEY }] as Record<string, string>[]) {
      const response = await fetch(`${api.url}/a/b`, { headers });
      expect(response.status).to.equal(404);
      expect(await response.json()).to.deep.equal({ message: 'Not found' });
    }
  });

  it('answers the preflight without a key, allowing x-api-key', async () => {
    const response = await fetch(`${api.url}/hello`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Headers': 'x-api-key' },
    });
    expect(response.status).to.equal(204);
    expect(response.headers.get('access-control-allow-headers')).to.equal('If-None-Match, x-api-key');
  });
});

describe('local access: usage plans count per key', function () {
  this.timeout(20_000);
  const serve = (plans: Record<string, UsagePlanSettings>) =>
    gateway({
      mode: 'api-key',
      keys: Object.entries(plans).map(([name, plan], i) => ({
        name,
        value: i === 0 ? KEY : OTHER_KEY,
        plan,
      })),
    });
  const call = (api: EmulatedGateway, key: string) =>
    fetch(`${api.url}/hello`, { headers: { 'x-api-key': key } });

  it('throttles a key past its burst with 429 {"message":"Too Many Requests"}, and another key not at all', async () => {
    // A rate this low refills no token during the test: exactly the burst gets through.
    const slow = { throttle: { rateLimit: 0.001, burstLimit: 2 } };
    const api = await serve({ a: slow, b: slow });
    try {
      expect([(await call(api, KEY)).status, (await call(api, KEY)).status]).to.deep.equal([200, 200]);
      await expectRefusal(await call(api, KEY), 429, 'Too Many Requests');
      expect((await call(api, OTHER_KEY)).status).to.equal(200);
    } finally {
      await api.close();
    }
  });

  it('refuses a key over its quota with 429 {"message":"Limit Exceeded"}', async () => {
    const api = await serve({
      a: { throttle: { rateLimit: 1000, burstLimit: 1000 }, quota: { limit: 3, period: 'DAY' } },
    });
    try {
      for (let i = 0; i < 3; i++) expect((await call(api, KEY)).status).to.equal(200);
      await expectRefusal(await call(api, KEY), 429, 'Limit Exceeded');
    } finally {
      await api.close();
    }
  });
});

describe('local access: iam mode', function () {
  this.timeout(20_000);
  let api: EmulatedGateway;
  before(async () => {
    api = await gateway({ mode: 'iam', credentials: CALLER, region: 'us-east-1' }, '*');
  });
  after(() => api?.close());
  const minutes = (n: number) => new Date(Date.now() + n * 60_000);

  it('answers an unsigned call with 403 {"message":"Missing Authentication Token"}, no-store, with CORS', async () => {
    const response = await fetch(`${api.url}/hello`);
    expect(response.headers.get('access-control-allow-origin')).to.equal('*');
    await expectRefusal(response, 403, 'Missing Authentication Token');
  });

  it('answers a correctly signed call, query and encoded path included, from the function', async () => {
    for (const path of ['/hello', '/caf%C3%A9%20x?b=2&a=1&a=0']) {
      const response = await signedFetch(`${api.url}${path}`, CALLER);
      expect(response.status, path).to.equal(200);
    }
    expect((await signedFetch(`${api.url}/hello`, CALLER, { method: 'HEAD' })).status).to.equal(200);
  });

  it('answers a wrong secret with 403 naming the signature mismatch and the canonical request', async () => {
    const response = await signedFetch(`${api.url}/hello`, { ...CALLER, secretAccessKey: 'not-the-secret' });
    await expectRefusal(
      response,
      403,
      /^The request signature we calculated does not match the signature you provided\..*\n\nThe Canonical String for this request should have been\n'GET\n\/hello\n/s,
    );
  });

  it('answers a signature 20 minutes old with 403 "Signature expired", and accepts 4 minutes of skew', async () => {
    await expectRefusal(
      await signedFetch(`${api.url}/hello`, CALLER, { signingDate: minutes(-20) }),
      403,
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
    expect((await signedFetch(`${api.url}/hello`, CALLER, { signingDate: minutes(-4) })).status).to.equal(
      200,
    );
    await expectRefusal(
      await signedFetch(`${api.url}/hello`, CALLER, { signingDate: minutes(6) }),
      403,
      /^Signature not yet current: /,
    );
  });

  it('refuses another access key, a session token it was not given, and a tampered signed header', async () => {
    await expectRefusal(
      await signedFetch(`${api.url}/hello`, { ...CALLER, accessKeyId: 'AKIDSOMEONEELSE' }),
      403,
      'The security token included in the request is invalid.',
    );
    await expectRefusal(
      await signedFetch(`${api.url}/hello`, { ...CALLER, sessionToken: 'token' }),
      403,
      'The security token included in the request is invalid.',
    );
    const headers = await signedHeaders(`${api.url}/hello`, CALLER, { headers: { 'x-tenant': 'a' } });
    const { host: _host, ...rest } = headers;
    const tampered = await fetch(`${api.url}/hello`, { headers: { ...rest, 'x-tenant': 'b' } });
    await expectRefusal(tampered, 403, /^The request signature we calculated does not match/);
  });

  it('answers a bearer token with 403 about the malformed Authorization header', async () => {
    const response = await fetch(`${api.url}/hello`, { headers: { Authorization: 'Bearer abc' } });
    await expectRefusal(
      response,
      403,
      /^Invalid key=value pair \(missing equal-sign\) in Authorization header/,
    );
  });

  it('answers unknown routes with the same 403, signed or not: the response type covers both', async () => {
    await expectRefusal(await fetch(`${api.url}/a/b`), 403, 'Missing Authentication Token');
    await expectRefusal(await signedFetch(`${api.url}/a/b`, CALLER), 403, 'Missing Authentication Token');
  });

  it('answers the preflight unsigned, allowing the headers a SigV4 signature uses', async () => {
    const response = await fetch(`${api.url}/hello`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://x.example' },
    });
    expect(response.status).to.equal(204);
    expect(response.headers.get('access-control-allow-headers')).to.equal(
      'If-None-Match, Authorization, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256',
    );
  });
});

describe('local access: iam mode with a session token', () => {
  it('lets through only calls that carry and sign the token it was given', async () => {
    const temporary = { ...CALLER, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' };
    const api = await gateway({ mode: 'iam', credentials: temporary, region: 'us-east-1' });
    try {
      expect((await signedFetch(`${api.url}/hello`, temporary)).status).to.equal(200);
      await expectRefusal(
        await signedFetch(`${api.url}/hello`, CALLER),
        403,
        'The security token included in the request is invalid.',
      );
    } finally {
      await api.close();
    }
  });
});
