import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { seedFromFile } from '#local/seed-items';
import { runWhenMain } from './lib/cli';

/**
 * npm run seed -- <file.json> [--table NAME]
 *
 * Loads plain JSON items into any DynamoDB endpoint: the local one when AWS_ENDPOINT_URL_DYNAMODB
 * is set (npm start prints it), otherwise real AWS with the usual credential chain and region.
 */
async function main(argv: string[]): Promise<void> {
  const tableFlag = argv.indexOf('--table');
  const tableName = tableFlag >= 0 ? argv[tableFlag + 1] : process.env.TABLE_NAME;
  const file = argv.find((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--table');
  if (!file || !tableName) {
    throw new Error('usage: npm run seed -- <file.json> [--table NAME]   (or set TABLE_NAME)');
  }
  const client = new DynamoDBClient({});
  try {
    const written = await seedFromFile(client, tableName, path.resolve(file));
    const where = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? 'AWS';
    console.log(`seeded ${written} distinct items into ${tableName} at ${where}`);
  } finally {
    client.destroy();
  }
}

runWhenMain(module, () => main(process.argv.slice(2)));
