import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError } from './errors';
import { idProblem } from './key-schema';

/**
 * Turns the raw `{id}` path parameter into the item id, or throws BadRequestError.
 * API Gateway REST passes path parameters still percent-encoded, so decoding happens here, once:
 * `a%2Fb` is the id `a/b`, and `%25` is a literal percent sign.
 */
export function parseItemId(event: Pick<APIGatewayProxyEvent, 'pathParameters'>): string {
  const raw = event.pathParameters?.id;
  if (typeof raw !== 'string' || raw === '') throw new BadRequestError('The item id is missing');

  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    throw new BadRequestError('The item id is not valid percent-encoded UTF-8');
  }

  // The same rule the seed applies, so every item it writes can be read here.
  const problem = idProblem(id);
  if (problem !== undefined) throw new BadRequestError(`The item id ${problem.reason}`);
  return id;
}
