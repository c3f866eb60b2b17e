import type { APIGatewayProxyEvent } from 'aws-lambda';
import { expect } from 'chai';
import { LAMBDA_LIMITS } from '../../handler/src/lambda-limits';
import { MAX_HEADER_BYTES } from '../../scripts/lib/rest-api-emulator';
import { type EmulatedFunction, startEmulatedFunction } from '../support/emulated-function';
import { rawHttp } from '../support/raw-http';

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

    it(`answers an event over ${LAMBDA_LIMITS.requestBytes} bytes with API Gateway's 413, before any function runs`, async () => {
      const before = api.fn.logs.length;
      const response = await fetch(`${api.url}/echo`, {
        method: 'POST',
        body: 'x'.repeat(LAMBDA_LIMITS.requestBytes),
      });
      expect(response.status).to.equal(413);
      expect(await response.json()).to.deep.equal({ message: 'Request Too Long' });
      expect(api.stackLines.at(-1)).to.match(/RequestEntityTooLargeException: \d+ byte payload is too large/);
      expect(api.fn.logs.length).to.equal(before);
    });

    it('passes an event just under the limit to the function', async () => {
      const response = await fetch(`${api.url}/size-1`, {
        method: 'POST',
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

    it(`answers request headers over API Gateway's ${MAX_HEADER_BYTES} bytes with a JSON 431, and keeps serving`, async () => {
      const reply = await rawHttp(
        api.url,
        `GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(MAX_HEADER_BYTES)}\r\n\r\n`,
      );
      expect(reply).to.match(/^HTTP\/1\.1 431 /);
      expect(reply).to.match(/\r\nContent-Type: application\/json\r\n/);
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
