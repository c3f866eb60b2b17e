// The floor for a first request: the aws-lite reference plus one GetItem during init (top-level
// await), so the first invoke finds the client's code run once and a TLS connection open. The key
// cannot exist (the reference would never ask for an empty-looking id like this one).
import { aws, handler } from './aws-lite-handler.mjs';

await aws.DynamoDB.GetItem({
  TableName: process.env.TABLE_NAME,
  Key: { pk: '\u0000aws-lite-prime', sk: '\u0000aws-lite-prime' },
}).catch(() => {});

export { handler };
