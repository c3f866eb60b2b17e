import path from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runWhenMain } from './lib/cli';
import { readSeedFile, writeItems } from './lib/seed-items';

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
  const items = readSeedFile(path.resolve(file));
  const client = new DynamoDBClient({});
  await writeItems(client, tableName, items);
  const where = process.env.AWS_ENDPOINT_URL_DYNAMODB ?? 'AWS';
  console.log(`seeded ${items.length} items into ${tableName} at ${where}`);
}

runWhenMain(module, () => main(process.argv.slice(2)));
