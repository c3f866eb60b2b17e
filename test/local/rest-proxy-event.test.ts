import { expect } from 'chai';
import { buildRestProxyEvent } from '#local/rest-proxy-event';

/**
 * The fields of a REST API (v1) proxy event as API Gateway sends them, from recorded events
 * (aws-lambda-go's events/testdata/apigw-request.json) and AWS's documented example.
 */
const EVENT_FIELDS = [
  'body',
  'headers',
  'httpMethod',
  'isBase64Encoded',
  'multiValueHeaders',
  'multiValueQueryStringParameters',
  'path',
  'pathParameters',
  'queryStringParameters',
  'requestContext',
  'resource',
  'stageVariables',
];
const REQUEST_CONTEXT_FIELDS = [
  'accountId',
  'apiId',
  'authorizer',
  'domainName',
  'domainPrefix',
  'extendedRequestId',
  'httpMethod',
  'identity',
  'path',
  'protocol',
  'requestId',
  'requestTime',
  'requestTimeEpoch',
  'resourceId',
  'resourcePath',
  'stage',
];

describe('the REST proxy event the local stack builds', () => {
  const time = new Date(Date.UTC(2020, 4, 15, 6, 1, 9, 693));
  const event = buildRestProxyEvent({
    method: 'GET',
    path: '/caf%C3%A9',
    rawId: 'caf%C3%A9',
    headers: [
      ['Host', 'abc123.execute-api.us-east-1.amazonaws.com'],
      ['User-Agent', 'curl/8'],
      ['X-Forwarded-For', '198.51.100.7'],
      ['Accept', 'a'],
      ['Accept', 'b'],
    ],
    query: new URLSearchParams('name=me&name=you'),
    sourceIp: '203.0.113.9',
    port: 443,
    protocol: 'https',
    stage: 'v1',
    time,
  });

  it('has the fields a recorded API Gateway event has, in requestContext too', () => {
    expect(Object.keys(event).sort()).to.deep.equal(EVENT_FIELDS);
    expect(Object.keys(event.requestContext).sort()).to.deep.equal(REQUEST_CONTEXT_FIELDS);
  });

  it('writes requestTime and requestTimeEpoch as API Gateway does', () => {
    expect(event.requestContext.requestTime).to.equal('15/May/2020:06:01:09 +0000');
    expect(event.requestContext.requestTimeEpoch).to.equal(time.getTime());
  });

  it('names the domain the client called and gives each request its own ids', () => {
    expect(event.requestContext.domainName).to.equal('abc123.execute-api.us-east-1.amazonaws.com');
    expect(event.requestContext.domainPrefix).to.equal('abc123');
    expect(event.requestContext.extendedRequestId).to.match(/^[A-Za-z0-9+/]{14}[A-Za-z0-9+/=]{2}$/);
    const other = buildRestProxyEvent({ method: 'GET', path: '/x', rawId: 'x' });
    expect(other.requestContext.requestId).to.not.equal(event.requestContext.requestId);
    expect(other.requestContext.extendedRequestId).to.not.equal(event.requestContext.extendedRequestId);
  });

  it("adds API Gateway's own headers: the client address appended to X-Forwarded-For, port, scheme, trace id", () => {
    expect(event.headers).to.include({
      'X-Forwarded-For': '198.51.100.7, 203.0.113.9',
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
    });
    expect(event.headers['X-Amzn-Trace-Id']).to.match(/^Root=1-5ebe3025-[0-9a-f]{24}$/);
    expect(event.multiValueHeaders['X-Forwarded-For']).to.deep.equal(['198.51.100.7, 203.0.113.9']);
  });

  it('keeps the last of repeated headers and query parameters, and all of them in the multi-value views', () => {
    expect(event.headers.Accept).to.equal('b');
    expect(event.multiValueHeaders.Accept).to.deep.equal(['a', 'b']);
    expect(event.queryStringParameters).to.deep.equal({ name: 'you' });
    expect(event.multiValueQueryStringParameters).to.deep.equal({ name: ['me', 'you'] });
  });

  it('never sends null headers: a request without any still carries the gateway headers', () => {
    const bare = buildRestProxyEvent({ method: 'GET', path: '/x', rawId: 'x' });
    expect(bare.headers).to.be.an('object');
    expect(Object.keys(bare.headers)).to.include.members([
      'X-Forwarded-For',
      'X-Forwarded-Port',
      'X-Forwarded-Proto',
    ]);
    expect(bare.multiValueHeaders).to.be.an('object');
    expect(bare.queryStringParameters).to.equal(null);
    expect(bare.multiValueQueryStringParameters).to.equal(null);
  });

  it('keeps the path parameter percent-encoded and the stage in requestContext.path', () => {
    expect(event.pathParameters).to.deep.equal({ id: 'caf%C3%A9' });
    expect(event.requestContext.path).to.equal('/v1/caf%C3%A9');
    expect(event.requestContext.identity).to.include({ sourceIp: '203.0.113.9', userAgent: 'curl/8' });
  });
});
