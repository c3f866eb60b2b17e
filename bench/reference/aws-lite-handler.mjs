// The benchmark's practical floor: GET /{id} on @aws-lite/client, a minimal signing client. It
// keeps the contract's essentials (decode the id, GetItem pk = sk = id, 404, JSON) and nothing
// else, so the gap between it and item-api is what the AWS SDK and our extras cost.
import awsLite from '@aws-lite/client';
// Passed as an object: aws-lite would otherwise scan node_modules and import() plugins at run
// time, which a bundle cannot do and which would not be a fair floor.
import dynamodb from '@aws-lite/dynamodb';

const { TABLE_NAME, AWS_ENDPOINT_URL_DYNAMODB } = process.env;

export const aws = await awsLite({
  plugins: [dynamodb],
  // aws-lite reads AWS_ENDPOINT_URL but not the per-service variable the SDK honours.
  ...(AWS_ENDPOINT_URL_DYNAMODB ? { endpoint: AWS_ENDPOINT_URL_DYNAMODB } : {}),
  keepAlive: true,
  retries: 2,
});

const json = (statusCode, body) => ({
  statusCode,
  headers: { 'Content-Type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

export async function handler(event) {
  let id;
  try {
    id = decodeURIComponent(event?.pathParameters?.id ?? '');
  } catch {
    return json(400, { message: 'The item id is not valid percent-encoded UTF-8' });
  }
  if (id === '') return json(400, { message: 'The item id is missing' });
  try {
    const { Item } = await aws.DynamoDB.GetItem({ TableName: TABLE_NAME, Key: { pk: id, sk: id } });
    return Item ? json(200, Item) : json(404, { message: 'Item not found' });
  } catch (error) {
    console.error(JSON.stringify({ level: 'ERROR', message: 'GetItem failed', error: String(error) }));
    return json(500, { message: 'Internal server error' });
  }
}
