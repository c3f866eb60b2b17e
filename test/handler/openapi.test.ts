import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { expect } from 'chai';
import { parse } from 'yaml';
import type { ResponseSettings } from '#handler/src/config';
import { LambdaInvokeError, REQUEST_TOO_LARGE } from '#local/lambda-process';
import type { Invoke } from '#local/rest-api-emulator';
import { serviceError } from '../support/dynamo-errors';
import { serveEmulator } from '../support/emulated-function';
import { lambdaContext, restEvent } from '../support/events';
import { httpRequest } from '../support/raw-http';
import { REPO_ROOT } from '../support/repo-root';
import { stubbedHandler } from '../support/stubbed-handler';
import { foundOutput, missingOutput } from '../support/wire';

const SPEC_PATH = path.join(REPO_ROOT, 'handler', 'openapi.yaml');
const spec = parse(readFileSync(SPEC_PATH, 'utf8'));

type Schema = object;
type Header = { required?: boolean; schema: Schema };
type Response = { content?: Record<string, { schema: Schema }>; headers?: Record<string, Header> };
type Method = 'get' | 'head' | 'options';

/** Follows local `$ref`s to the object they name. */
function resolve<T>(node: unknown): T {
  let current = node as { $ref?: string };
  while (current?.$ref) {
    const keys = current.$ref.replace(/^#\//, '').split('/');
    current = keys.reduce((n: Record<string, unknown>, key) => n[key] as Record<string, unknown>, spec);
  }
  return current as T;
}

const declared = (method: Method, status: number): Response =>
  resolve(spec.paths['/{id}'][method].responses[String(status)]);
const component = (name: string): Response => resolve(spec.components.responses[name]);

const ajv = new Ajv2020({ strict: false });
ajv.addSchema({ ...spec, $id: 'openapi.json' });
/** Header schemas hold no $refs; compiled apart, so they never share a cache entry with the document's. */
const headerAjv = new Ajv2020({ strict: false });

function bodyValidator(response: Response) {
  const ref = (response.content?.['application/json']?.schema as { $ref?: string } | undefined)?.$ref;
  if (!ref) throw new Error('response schemas must be $refs into components');
  return ajv.compile({ $ref: `openapi.json${ref}` });
}

/** Headers the transport owns, which OpenAPI does not describe as response headers. */
const TRANSPORT = new Set([
  'content-type',
  'content-length',
  'x-amzn-requestid',
  'date',
  'connection',
  'keep-alive',
]);

/**
 * The response's headers against the declared ones, both ways: every required header is sent,
 * every header sent is declared, and each value matches its schema.
 */
function expectDeclaredHeaders(sent: Record<string, unknown>, response: Response, where: string) {
  const headers = Object.entries(response.headers ?? {}).map(([name, header]) => [name, resolve<Header>(header)] as const); // biome-ignore format: long line
  const byName = new Map(headers.map(([name, header]) => [name.toLowerCase(), header]));
  const values = new Map(Object.entries(sent).map(([name, value]) => [name.toLowerCase(), String(value)]));
  for (const [name, header] of headers) {
    if (header.required) expect(values.has(name.toLowerCase()), `${where} must send ${name}`).to.equal(true);
  }
  for (const [name, value] of values) {
    if (TRANSPORT.has(name)) continue;
    const header = byName.get(name);
    expect(header, `${where} sends ${name}, which is not declared`).to.not.equal(undefined);
    const schema = header?.schema as { type?: string };
    const validate = headerAjv.compile(structuredClone(schema));
    const typed = schema.type === 'integer' ? Number(value) : value;
    expect(validate(typed), `${where} ${name}: ${value} ${JSON.stringify(validate.errors)}`).to.equal(true);
  }
}

describe('OpenAPI description', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(spec);
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(spec.openapi).to.match(/^3\.1\./);
  });

  it('defines GET, HEAD and the OPTIONS preflight on /{id}, and nothing else', () => {
    const operations = Object.keys(spec.paths['/{id}']).filter(
      (key) => !['parameters', 'description'].includes(key),
    );
    expect(operations.sort()).to.deep.equal(['get', 'head', 'options']);
  });

  it("documents every status GET and HEAD can answer (the handler's, the access modes' 403, the gateway's 413, 429 and 502), and the preflight's", () => {
    const statuses = ['200', '304', '400', '403', '404', '413', '429', '500', '502', '503'];
    expect(Object.keys(spec.paths['/{id}'].get.responses).sort()).to.deep.equal(statuses);
    expect(Object.keys(spec.paths['/{id}'].head.responses).sort()).to.deep.equal(statuses);
    expect(Object.keys(spec.paths['/{id}'].options.responses).sort()).to.deep.equal(['204', '403', '404']);
  });

  it('gives HEAD no body, and otherwise the same headers as GET, for every status', () => {
    for (const status of [200, 304, 400, 403, 404, 413, 429, 500, 502, 503]) {
      const get = declared('get', status);
      const head = declared('head', status);
      expect(head.content, `HEAD ${status}`).to.equal(undefined);
      expect(Object.keys(head.headers ?? {}).sort(), `HEAD ${status}`).to.deep.equal(
        Object.keys(get.headers ?? {}).sort(),
      );
    }
  });

  it('describes the 429 body API Gateway sends when the stage throttles: a message and no requestId', () => {
    const validate = bodyValidator(declared('get', 429));
    expect(validate({ message: 'Too Many Requests' }), JSON.stringify(validate.errors)).to.equal(true);
    expect(validate({ message: 'Too Many Requests', requestId: 'x' })).to.equal(false);
  });

  const corsSettings: { name: string; responses?: Partial<ResponseSettings>; origin?: string }[] = [
    { name: 'without CORS' },
    {
      name: 'with a list of origins and Cache-Control',
      responses: {
        corsOrigins: ['https://a.example.com', 'https://b.example.com'],
        itemCacheControl: 'max-age=60, stale-while-revalidate=30',
      },
      origin: 'https://b.example.com',
    },
  ];
  for (const { name, responses, origin } of corsSettings) {
    describe(`real handler responses match it, ${name}`, () => {
      const { send, handler } = stubbedHandler({
        responses: { corsOrigins: undefined, itemCacheControl: 'no-cache', ...responses },
      });
      const headers = origin ? { Origin: origin } : undefined;
      const stored = { pk: { S: 'a' }, sk: { S: 'a' }, n: { N: '1' } };
      const found = () => send.resolves(foundOutput(stored));
      const cases: { status: number; rawId?: string; dynamo?: () => void; ifNoneMatch?: boolean }[] = [
        { status: 200, dynamo: found },
        { status: 304, dynamo: found, ifNoneMatch: true },
        { status: 400, rawId: '%ZZ' },
        { status: 404, dynamo: () => send.resolves(missingOutput()) },
        { status: 500, dynamo: () => send.rejects(serviceError('AccessDeniedException', 400)) },
        { status: 503, dynamo: () => send.rejects(serviceError('ThrottlingException', 400)) },
      ];
      for (const method of ['get', 'head'] as const) {
        for (const { status, rawId, dynamo, ifNoneMatch } of cases) {
          it(`${method.toUpperCase()} ${status}: body and headers`, async () => {
            dynamo?.();
            const request = { rawId: rawId ?? 'a', method: method.toUpperCase(), headers: { ...headers, ...(ifNoneMatch && { 'If-None-Match': '*' }) } }; // biome-ignore format: long line
            const response = await handler(restEvent(request), lambdaContext());
            expect(response.statusCode).to.equal(status);
            const spec = declared(method, status);
            expectDeclaredHeaders(response.headers ?? {}, spec, `${method} ${status}`);
            if (spec.content) {
              const validate = bodyValidator(spec);
              expect(validate(JSON.parse(response.body)), JSON.stringify(validate.errors)).to.equal(true);
            } else {
              expect(response.body).to.equal('');
            }
          });
        }
      }

      it('405, for a direct invoke with another method: the MethodNotAllowed component', async () => {
        const response = await handler(restEvent({ method: 'PUT', headers }), lambdaContext());
        expect(response.statusCode).to.equal(405);
        const spec = component('MethodNotAllowed');
        expectDeclaredHeaders(response.headers ?? {}, spec, '405');
        expect(bodyValidator(spec)(JSON.parse(response.body))).to.equal(true);
      });
    });
  }

  describe("the emulated gateway's own answers match it", () => {
    const origins = ['https://a.example.com', 'https://b.example.com'];
    const failingFunction = () => Promise.reject(new Error('the function failed'));
    const eventTooLarge = () =>
      Promise.reject(new LambdaInvokeError('payload is too large', REQUEST_TOO_LARGE));
    const cases: {
      name: string;
      method: Method;
      status: number;
      cors: boolean;
      invoke?: Invoke;
      authorization?: string;
    }[] = [
      // biome-ignore format: long type
      { name: 'the preflight', method: 'options', status: 204, cors: true },
      { name: 'OPTIONS without CORS', method: 'options', status: 404, cors: false },
      { name: 'OPTIONS without CORS, with a bearer token', method: 'options', status: 403, cors: false, authorization: 'Bearer x' }, // biome-ignore format: table row
      { name: 'a failed function', method: 'get', status: 502, cors: true },
      { name: 'a failed function, to HEAD', method: 'head', status: 502, cors: false },
      {
        name: 'an event over the Lambda limit',
        method: 'get',
        status: 413,
        cors: true,
        invoke: eventTooLarge,
      },
      { name: 'an event over the Lambda limit, to HEAD', method: 'head', status: 413, cors: true, invoke: eventTooLarge }, // biome-ignore format: table row
    ];
    for (const { name, method, status, cors, invoke, authorization } of cases) {
      it(`${method.toUpperCase()} ${status}: ${name}`, async () => {
        const gateway = await serveEmulator(invoke ?? failingFunction, cors ? { corsOrigins: origins } : {});
        try {
          const response = await httpRequest(`${gateway.url}/a`, {
            method: method.toUpperCase(),
            headers: {
              Origin: 'https://a.example.com',
              'Access-Control-Request-Method': 'GET',
              ...(authorization && { Authorization: authorization }),
            },
          });
          expect(response.status).to.equal(status);
          const spec = declared(method, status);
          expectDeclaredHeaders(response.headers, spec, `${method} ${status}`);
          if (spec.content) expect(bodyValidator(spec)(JSON.parse(response.body))).to.equal(true);
          else expect(response.body).to.equal('');
        } finally {
          await gateway.close();
        }
      });
    }
  });
});
