import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { expect } from 'chai';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../scripts/lib/paths';
import { serviceError } from '../support/dynamo-errors';
import { eventForId, lambdaContext, restEvent } from '../support/events';
import { stubbedHandler } from '../support/stubbed-handler';
import { foundOutput, missingOutput } from '../support/wire';

const SPEC_PATH = path.join(REPO_ROOT, 'handler', 'openapi.yaml');
const spec = parse(readFileSync(SPEC_PATH, 'utf8'));

type Operation = {
  responses: Record<
    string,
    { $ref?: string; content?: Record<string, { schema: object }>; headers?: Record<string, unknown> }
  >;
};

/** Follows local `$ref`s to the response object the spec declares for a status. */
function declaredResponse(status: number) {
  const operation: Operation = spec.paths['/{id}'].get;
  let response = operation.responses[String(status)];
  while (response?.$ref) {
    const keys = response.$ref.replace(/^#\//, '').split('/');
    response = keys.reduce((node, key) => node[key], spec);
  }
  return response;
}

function responseSchemaValidator(status: number) {
  const schema = declaredResponse(status)?.content?.['application/json']?.schema;
  if (!schema) return undefined;
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema({ ...spec, $id: 'openapi.json' });
  return ajv.compile({ $ref: `openapi.json#${pointerTo(schema)}` });
}

function pointerTo(schema: object): string {
  const ref = (schema as { $ref?: string }).$ref;
  if (!ref) throw new Error('response schemas must be $refs into components');
  return ref.replace(/^#/, '');
}

describe('OpenAPI description', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(spec);
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(spec.openapi).to.match(/^3\.1\./);
  });

  it("documents every status the handler can answer, and the stage throttling's 429", () => {
    expect(Object.keys(spec.paths['/{id}'].get.responses).sort()).to.deep.equal(
      ['200', '304', '400', '404', '405', '429', '500', '503'].sort(),
    );
  });

  it('describes the 429 body API Gateway sends when the stage throttles: a message and no requestId', () => {
    const validate = responseSchemaValidator(429);
    expect(validate?.({ message: 'Too Many Requests' }), JSON.stringify(validate?.errors)).to.equal(true);
    expect(validate?.({ message: 'Too Many Requests', requestId: 'x' })).to.equal(false);
  });

  describe('real handler responses match it', () => {
    const { send, handler } = stubbedHandler();
    const stored = { pk: { S: 'a' }, sk: { S: 'a' }, n: { N: '1' } };
    const cases: { status: number; event?: APIGatewayProxyEvent; dynamo?: () => void }[] = [
      { status: 200, dynamo: () => send.resolves(foundOutput(stored)) },
      { status: 400, event: restEvent({ rawId: '%ZZ' }) },
      { status: 404, dynamo: () => send.resolves(missingOutput()) },
      { status: 405, event: restEvent({ method: 'PUT' }) },
      { status: 500, dynamo: () => send.rejects(serviceError('AccessDeniedException', 400)) },
      { status: 503, dynamo: () => send.rejects(serviceError('ThrottlingException', 400)) },
    ];
    for (const { status, event, dynamo } of cases) {
      it(`${status}: body and declared headers`, async () => {
        dynamo?.();
        const response = await handler(event ?? eventForId('a'), lambdaContext());
        expect(response.statusCode).to.equal(status);
        const validate = responseSchemaValidator(status);
        expect(validate, `no schema for ${status}`).to.be.a('function');
        expect(validate?.(JSON.parse(response.body)), JSON.stringify(validate?.errors)).to.equal(true);
        for (const header of Object.keys(declaredResponse(status)?.headers ?? {})) {
          expect(response.headers, `${status} must send ${header}`).to.have.property(header);
        }
      });
    }

    it('304: empty body with the ETag header', async () => {
      send.resolves(foundOutput(stored));
      const etag = String((await handler(eventForId('a'), lambdaContext())).headers?.ETag);
      const response = await handler(
        eventForId('a', { headers: { 'If-None-Match': etag } }),
        lambdaContext(),
      );
      expect(response.statusCode).to.equal(304);
      expect(response.body).to.equal('');
      expect(response.headers).to.have.property('ETag', etag);
    });
  });
});
