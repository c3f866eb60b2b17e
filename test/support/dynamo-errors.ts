import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';

/** An error shaped like the SDK's own, after its retries are spent. */
export function serviceError(name: string, httpStatusCode: number): DynamoDBServiceException {
  return new DynamoDBServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: 'DDB-REQUEST-ID', attempts: 3 },
    message: `${name} from arn:aws:dynamodb:us-east-1:123456789012:table/secret-table-name`,
  });
}

/** What the smithy HTTP handler raises for network faults. */
export function networkError(name: string, code?: string): Error {
  return Object.assign(new Error(`${name} talking to dynamodb.us-east-1.amazonaws.com`), { name, code });
}
