import type { APIGatewayProxyEvent } from 'aws-lambda';
import { expect } from 'chai';
import { LAMBDA_LIMITS } from '#handler/src/lambda-limits';
import { MAX_HEADER_BYTES } from '#local/rest-api-emulator';
import type { CorsOrigins } from '#shared/response-policy';
import { type EmulatedFunction, serveEmulator, startEmulatedFunction } from '../support/emulated-function';
import { httpRequest, rawHttp } from '../support/raw-http';

/** The JSON of `{"statusCode":200,"body":""}`: what the test function's size-N result adds to N. */
const RESULT_ENVELOPE_BYTES = JSON.stringify({ statusCode: 200, body: '' }).length;

describe('REST API emulator: answers as API Gateway would (real HTTP, a test function)', function () {
  this.timeout(30_000);
  let api: EmulatedFunction;
  before(async () => {
    api = await startEmulatedFunction();
  });
  after(() => api?.close());

  async function event(
    pathAndQuery: string,
    headers: Record<string, string> = {},
  ): Promise<APIGatewayProxyEvent> {
    const response = await fetch(`${api.url}${pathAndQuery}`, { headers });
    expect(response.status, pathAndQuery).to.equal(200);
    return (await response.json()) as APIGatewayProxyEvent;
  }

  describe('names that are special to JavaScript objects', () => {
    const names = ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'];
    for (const name of names) {
      it(`passes a query parameter named ${name} through as an ordinary parameter`, async () => {
        const received = await event(`/echo?${name}=1&${name}=2&plain=x`);
        expect(Object.getOwnPropertyDescriptor(received.queryStringParameters, name)?.value).to.equal('2');
        expect(
          Object.getOwnPropertyDescriptor(received.multiValueQueryStringParameters, name)?.value,
        ).to.deep.equal(['1', '2']);
        expect(received.queryStringParameters).to.have.property('plain', 'x');
      });

      it(`passes a header named ${name} through as an ordinary header`, async () => {
        // Raw HTTP: fetch itself drops a header named __proto__.
        const reply = await rawHttp(
          api.url,
          `GET /echo HTTP/1.1\r\nHost: x\r\n${name}: v\r\nConnection: close\r\n\r\n`,
        );
        const received = JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)) as APIGatewayProxyEvent;
        expect(Object.getOwnPropertyDescriptor(received.headers, name)?.value).to.equal('v');
        expect(Object.getOwnPropertyDescriptor(received.multiValueHeaders, name)?.value).to.deep.equal(['v']);
      });
    }
  });

  describe('paths', () => {
    for (const path of ['//', '///', '/a//b', '/a/b', '/', '//echo', '/echo/']) {
      it(`answers ${path} with the JSON 404 of the deployed gateway response, without invoking`, async () => {
        const reply = await rawHttp(api.url, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        expect(reply).to.match(/^HTTP\/1\.1 404 /);
        expect(reply.slice(reply.indexOf('\r\n\r\n') + 4)).to.equal('{"message":"Not found"}');
      });
    }

    it('passes a percent-encoded id, a lone % included, through still encoded', async () => {
      expect((await event('/a%2Fb')).pathParameters).to.deep.equal({ id: 'a%2Fb' });
      expect((await event('/%')).pathParameters).to.deep.equal({ id: '%' });
    });
  });

  describe("Lambda's payload limits", () => {
    const atLimit = LAMBDA_LIMITS.responseBytes - RESULT_ENVELOPE_BYTES;
    it(`relays a result of exactly ${LAMBDA_LIMITS.responseBytes} bytes of JSON`, async () => {
      const response = await fetch(`${api.url}/size-${atLimit}`);
      expect(response.status).to.equal(200);
      expect((await response.arrayBuffer()).byteLength).to.equal(atLimit);
    });

    it("answers a result one byte over with API Gateway's 502 JSON, and logs Function.ResponseSizeTooLarge", async () => {
      const response = await fetch(`${api.url}/size-${atLimit + 1}`);
      expect(response.status).to.equal(502);
      expect(await response.json()).to.deep.equal({ message: 'Internal server error' });
      expect(api.stackLines.at(-1)).to.match(
        /Function\.ResponseSizeTooLarge: Response payload size \(6291557 bytes\) exceeded maximum allowed payload size \(6291556 bytes\)\.; answered 502/,
      );
    });

    // A GET with a body: the only methods the API defines are GET and HEAD.
    it(`answers an event over ${LAMBDA_LIMITS.requestBytes} bytes with API Gateway's 413, uncustomizable, before any function runs`, async () => {
      const before = api.fn.logs.length;
      const response = await httpRequest(`${api.url}/echo`, { body: 'x'.repeat(LAMBDA_LIMITS.requestBytes) });
      expect(response.status).to.equal(413);
      expect(response.headers['content-type']).to.equal('application/json');
      expect(JSON.parse(response.body)).to.deep.equal({ message: 'Request Too Long' });
      // REQUEST_TOO_LARGE cannot be customized, so none of the deployed gateway responses' headers.
      expect(response.headers).to.not.have.property('cache-control');
      expect(api.stackLines.at(-1)).to.match(/RequestEntityTooLargeException: \d+ byte payload is too large/);
      expect(api.fn.logs.length).to.equal(before);
    });

    it("answers a body over API Gateway's 10 MB quota with its plain-text 413 and none of the API's headers", async () => {
      const gateway = await serveEmulator((event) => api.fn.invoke(event), { corsOrigins: '*' });
      try {
        const before = api.fn.logs.length;
        const response = await httpRequest(`${gateway.url}/echo`, {
          body: 'x'.repeat(10 * 1024 * 1024 + 1),
          headers: { Origin: 'https://a.example.com' },
        });
        expect(response.status).to.equal(413);
        expect(response.body).to.equal('HTTP content length exceeded 10485760 bytes.');
        expect(response.headers['content-type']).to.equal('text/plain');
        expect(response.headers).to.not.have.property('cache-control');
        expect(response.headers).to.not.have.property('access-control-allow-origin');
        expect(api.fn.logs.length).to.equal(before);
      } finally {
        await gateway.close();
      }
    });

    it('passes an event just under the limit to the function', async () => {
      const response = await httpRequest(`${api.url}/size-1`, {
        body: 'x'.repeat(LAMBDA_LIMITS.requestBytes - 4096),
      });
      expect(response.status).to.equal(200);
    });
  });

  describe('HTTP details', () => {
    it('sends a 304 with its ETag and neither a body nor a Content-Length', async () => {
      const reply = await rawHttp(
        api.url,
        'GET /not-modified HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      );
      expect(reply).to.match(/^HTTP\/1\.1 304 /);
      expect(reply).to.match(/\r\nETag: "abc"\r\n/i);
      expect(reply).to.not.match(/content-length/i);
      expect(reply).to.not.match(/transfer-encoding/i);
      expect(reply.endsWith('\r\n\r\n')).to.equal(true);
    });

    it(`answers request headers over API Gateway's ${MAX_HEADER_BYTES} bytes with a JSON 431 (unverified), and keeps serving`, async () => {
      const reply = await rawHttp(
        api.url,
        `GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(MAX_HEADER_BYTES)}\r\n\r\n`,
      );
      expect(reply).to.match(/^HTTP\/1\.1 431 /);
      expect(reply).to.match(/\r\nContent-Type: application\/json\r\n/);
      expect(reply).to.match(/\r\nCache-Control: no-store\r\n/);
      expect(reply.slice(reply.indexOf('\r\n\r\n') + 4)).to.equal(
        '{"message":"Request Header Fields Too Large"}',
      );
      expect((await fetch(`${api.url}/echo`)).status).to.equal(200);
    });

    it('passes headers a little under that size through', async () => {
      const received = await event('/echo', { 'X-Big': 'a'.repeat(MAX_HEADER_BYTES - 512) });
      expect(received.headers['X-Big']).to.have.length(MAX_HEADER_BYTES - 512);
    });

    it('answers a malformed request with 400 and keeps serving', async () => {
      const reply = await rawHttp(
        api.url,
        'GET /echo HTTP/1.1\r\nHost: x\r\nBad Header\r\nConnection: close\r\n\r\n',
      );
      expect(reply).to.match(/^HTTP\/1\.1 400/);
      expect((await fetch(`${api.url}/echo`)).status).to.equal(200);
    });
  });

  describe('methods, as the deployed API defines them (GET and HEAD /{id}, no CORS)', () => {
    it('passes HEAD to the function and sends its headers without a body', async () => {
      const reply = await rawHttp(api.url, 'HEAD /size-5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      expect(reply).to.match(/^HTTP\/1\.1 200 /);
      expect(reply).to.match(/\r\nContent-Length: 5\r\n/i);
      expect(reply.endsWith('\r\n\r\n')).to.equal(true);
      expect(api.access.at(-1)).to.include({
        httpMethod: 'HEAD',
        path: '/size-5',
        status: 200,
        invokedFunction: true,
      });
    });

    const authorizations: {
      shape: string;
      value: string;
      headers?: Record<string, string>;
      message: RegExp;
    }[] = [
      { shape: 'a bearer token', value: 'Bearer abc', message: /^Invalid key=value pair \(missing equal-sign\) in Authorization header \(hashed with SHA-256 and encoded with Base64\): '[A-Za-z0-9+/]{43}='\.$/ }, // biome-ignore format: table row
      { shape: 'a bare token', value: 'abc', message: /^Authorization header requires 'Credential' parameter\. Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=/ }, // biome-ignore format: table row
      { shape: 'a SigV4-looking value', value: 'AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', headers: { 'X-Amz-Date': '20250101T000000Z' }, message: /^The request signature we calculated does not match/ }, // biome-ignore format: table row
    ];
    for (const { shape, value, headers, message } of authorizations) {
      for (const [what, method, path] of [
        ['an unknown path', 'GET', '/a/b'],
        ['a method /{id} does not define', 'DELETE', '/echo'],
      ] as const) {
        // biome-ignore format: table
        it(`answers ${what} that carries ${shape} in Authorization with API Gateway's JSON 403, no-store, without invoking`, async () => { // biome-ignore format: long title
          const response = await httpRequest(`${api.url}${path}`, { method, headers: { Authorization: value, ...headers } });
          expect(response.status).to.equal(403);
          expect(response.headers['content-type']).to.equal('application/json');
          expect(response.headers['cache-control']).to.equal('no-store');
          expect(JSON.parse(response.body)).to.have.all.keys('message');
          expect(JSON.parse(response.body).message).to.match(message);
          expect(api.access.at(-1)).to.include({ httpMethod: method, status: 403, invokedFunction: false });
        });
      }
    }

    it('passes an Authorization header on a defined route to the function, untouched', async () => {
      expect((await event('/echo', { Authorization: 'Bearer abc' })).headers.Authorization).to.equal(
        'Bearer abc',
      );
    });

    for (const method of ['OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      it(`answers ${method} /{id} with the JSON 404 API Gateway gives for a method the resource does not define, without invoking`, async () => {
        const response = await httpRequest(`${api.url}/echo`, { method, headers: { Origin: 'https://a.example.com' } }); // biome-ignore format: long call
        expect(response.status).to.equal(404);
        expect(JSON.parse(response.body)).to.deep.equal({ message: 'Not found' });
        expect(response.headers['cache-control']).to.equal('no-store');
        expect(response.headers).to.not.have.property('access-control-allow-origin');
        expect(response.headers).to.not.have.property('allow');
        expect(response.headers['x-amzn-requestid']).to.be.a('string');
        expect(api.access.at(-1)).to.include({ httpMethod: method, status: 404, invokedFunction: false });
      });
    }

    it("remaps a Content-Length the function sets to x-amzn-Remapped-Content-Length, and sends the body's own", async () => {
      const response = await httpRequest(`${api.url}/content-length`);
      expect(response.headers['x-amzn-remapped-content-length']).to.equal('999');
      expect(response.headers['content-length']).to.equal('1');
      expect(response.body).to.equal('x');
    });
  });

  describe('CORS, as deployed with corsAllowOrigins', () => {
    const A = 'https://a.example.com';
    const B = 'https://b.example.com';
    const EVIL = 'https://evil.example.com';
    const PREFLIGHT = {
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': 'If-None-Match',
      'access-control-max-age': '600',
    };
    type Case = {
      name: string;
      origins: CorsOrigins;
      origin: string;
      /** Allow-Origin on the preflight, and on the gateway's own errors. */
      preflight: string | undefined;
      errors: string | undefined;
      vary: boolean;
    };
    const cases: Case[] = [
      { name: 'any origin', origins: '*', origin: EVIL, preflight: '*', errors: '*', vary: false },
      {
        name: 'one origin, asked by another',
        origins: [A],
        origin: EVIL,
        preflight: A,
        errors: A,
        vary: true,
      },
      {
        name: 'a list, a listed origin',
        origins: [A, B],
        origin: B,
        preflight: B,
        errors: undefined,
        vary: true,
      },
      { name: 'a list, an unlisted origin', origins: [A, B], origin: EVIL, preflight: undefined, errors: undefined, vary: true }, // biome-ignore format: table row
    ];
    for (const { name, origins, origin, preflight, errors, vary } of cases) {
      describe(name, () => {
        let gateway: Awaited<ReturnType<typeof serveEmulator>>;
        before(async () => {
          gateway = await serveEmulator((event) => api.fn.invoke(event), { corsOrigins: origins });
        });
        after(() => gateway?.close());

        it(`answers the preflight itself: 204, Allow-Origin ${preflight ?? 'absent'}, without invoking`, async () => {
          const before = api.fn.logs.length;
          const response = await httpRequest(`${gateway.url}/echo`, {
            method: 'OPTIONS',
            headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'if-none-match' }, // biome-ignore format: long headers
          });
          expect(response.status).to.equal(204);
          expect(response.body).to.equal('');
          expect(response.headers).to.include(PREFLIGHT);
          expect(response.headers['access-control-allow-origin']).to.equal(preflight);
          expect(response.headers.vary).to.equal(vary ? 'Origin' : undefined);
          expect(gateway.access.at(-1)).to.include({ httpMethod: 'OPTIONS', origin, status: 204, invokedFunction: false }); // biome-ignore format: long assertion
          expect(api.fn.logs.length).to.equal(before);
        });

        const gatewayErrors: {
          what: string;
          path: string;
          method?: string;
          authorization?: string;
          status: number;
        }[] = [
          // biome-ignore format: long type
          { what: 'an unknown path', path: '/a/b', status: 404 },
          { what: 'OPTIONS on an unknown path', path: '/a/b', method: 'OPTIONS', status: 404 },
          { what: 'a method /{id} does not define', path: '/echo', method: 'DELETE', status: 404 },
          { what: 'an unknown path with a bearer token (DEFAULT_4XX)', path: '/a/b', authorization: 'Bearer x', status: 403 }, // biome-ignore format: table row
          { what: 'a function that dies', path: '/exit', status: 502 },
        ];
        for (const { what, path, method, authorization, status } of gatewayErrors) {
          it(`answers ${what} with its ${status}, no-store and Allow-Origin ${errors ?? 'absent'}`, async () => {
            const response = await httpRequest(`${gateway.url}${path}`, {
              method,
              headers: { Origin: origin, ...(authorization && { Authorization: authorization }) },
            });
            expect(response.status).to.equal(status);
            expect(response.headers['cache-control']).to.equal('no-store');
            expect(response.headers['access-control-allow-origin']).to.equal(errors);
            expect(response.headers.vary).to.equal(vary ? 'Origin' : undefined);
          });
        }

        it('answers oversized headers with the 431 and the same headers', async () => {
          const reply = await rawHttp(
            gateway.url,
            `GET /echo HTTP/1.1\r\nHost: x\r\nOrigin: ${origin}\r\nX-Big: ${'a'.repeat(MAX_HEADER_BYTES)}\r\n\r\n`,
          );
          expect(reply).to.match(/^HTTP\/1\.1 431 /);
          expect(reply).to.match(/\r\nCache-Control: no-store\r\n/);
          if (errors) expect(reply).to.include(`\r\nAccess-Control-Allow-Origin: ${errors}\r\n`);
          else expect(reply).to.not.match(/Access-Control-Allow-Origin/i);
        });
      });
    }
  });

  describe('its own failures', () => {
    it('logs an internal error and answers it with the 502 JSON, never a bare 500', async () => {
      const response = await fetch(`${api.url}/bad-header`);
      expect(response.status).to.equal(502);
      expect(await response.json()).to.deep.equal({ message: 'Internal server error' });
      expect(api.stackLines.at(-1)).to.match(
        /^\[gateway\] internal error, answered 502: .*Invalid character in header/,
      );
    });

    it('answers a function that dies mid-request with the 502 JSON and logs why', async () => {
      const response = await fetch(`${api.url}/exit`);
      expect(response.status).to.equal(502);
      expect(await response.json()).to.deep.equal({ message: 'Internal server error' });
      expect(
        api.stackLines.some((line) =>
          /Runtime\.ExitError: function process exited \(3\); answered 502/.test(line),
        ),
      ).to.equal(true);
    });
  });
});
