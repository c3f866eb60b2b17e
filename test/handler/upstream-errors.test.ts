import {
  DynamoDBServiceException,
  InternalServerError,
  InvalidEndpointException,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { BadRequestError, InternalError, UpstreamUnavailableError } from '#handler/src/errors';
import { classifyUpstreamError } from '#handler/src/upstream-errors';
import { networkError, serviceError } from '../support/dynamo-errors';

const metadata = { httpStatusCode: 400, requestId: 'R', attempts: 3 };

/** GetItem's modelled errors, built with the SDK's own classes, plus the generic ones every call can raise. */
const CASES: {
  name: string;
  error: unknown;
  expected: typeof UpstreamUnavailableError | typeof InternalError;
}[] = [
  {
    name: 'ProvisionedThroughputExceededException',
    error: new ProvisionedThroughputExceededException({ message: 'm', $metadata: metadata }),
    expected: UpstreamUnavailableError,
  },
  {
    name: 'RequestLimitExceeded',
    error: new RequestLimitExceeded({ message: 'm', $metadata: metadata }),
    expected: UpstreamUnavailableError,
  },
  {
    name: 'ThrottlingException',
    error: new ThrottlingException({ message: 'm', $metadata: metadata }),
    expected: UpstreamUnavailableError,
  },
  {
    name: 'InternalServerError',
    error: new InternalServerError({ message: 'm', $metadata: { ...metadata, httpStatusCode: 500 } }),
    expected: UpstreamUnavailableError,
  },
  {
    name: 'an unmodelled 503',
    error: serviceError('ServiceUnavailable', 503),
    expected: UpstreamUnavailableError,
  },
  {
    name: 'an unmodelled 502 without a name',
    error: serviceError('Unknown', 502),
    expected: UpstreamUnavailableError,
  },
  { name: 'TimeoutError', error: networkError('TimeoutError'), expected: UpstreamUnavailableError },
  {
    name: 'the time budget (AbortError)',
    error: networkError('AbortError'),
    expected: UpstreamUnavailableError,
  },
  ...['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND'].map((code) => ({
    name: code,
    error: networkError('Error', code),
    expected: UpstreamUnavailableError,
  })),
  {
    name: 'ResourceNotFoundException',
    error: new ResourceNotFoundException({ message: 'm', $metadata: metadata }),
    expected: InternalError,
  },
  {
    name: 'InvalidEndpointException',
    error: new InvalidEndpointException({ message: 'm', $metadata: { ...metadata, httpStatusCode: 421 } }),
    expected: InternalError,
  },
  ...[
    'AccessDeniedException',
    'UnrecognizedClientException',
    'ValidationException',
    'ExpiredTokenException',
    'IncompleteSignatureException',
  ].map((name) => ({ name, error: serviceError(name, 400), expected: InternalError })),
  {
    name: 'a bare DynamoDBServiceException',
    error: new DynamoDBServiceException({ name: 'X', $fault: 'client', $metadata: metadata }),
    expected: InternalError,
  },
  { name: 'a TypeError', error: new TypeError('boom'), expected: InternalError },
  { name: 'a thrown string', error: 'boom', expected: InternalError },
  { name: 'undefined', error: undefined, expected: InternalError },
];

describe('DynamoDB error classification', () => {
  for (const { name, error, expected } of CASES) {
    const status = expected === UpstreamUnavailableError ? 503 : 500;
    it(`maps ${name} to ${status}`, () => {
      const classified = classifyUpstreamError(error);
      expect(classified).to.be.instanceOf(expected);
      expect(classified.statusCode).to.equal(status);
      if (status === 503) expect(classified.headers).to.deep.equal({ 'Retry-After': '1' });
      expect(classified.cause).to.equal(error);
    });
  }

  it('passes an error that already has a status through unchanged', () => {
    const error = new BadRequestError('bad');
    expect(classifyUpstreamError(error)).to.equal(error);
  });
});
