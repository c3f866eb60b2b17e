import type { GetItemCommand, GetItemCommandOutput } from '@aws-sdk/client-dynamodb';
import { InternalError } from './errors';

/**
 * An attribute value exactly as DynamoDB's JSON protocol sends it: numbers are decimal strings and
 * binary is base64 text, so nothing needs converting back for the response.
 */
export interface WireValue {
  readonly S?: string;
  readonly N?: string;
  readonly B?: string;
  readonly BOOL?: boolean;
  readonly NULL?: boolean;
  readonly M?: WireItem;
  readonly L?: readonly WireValue[];
  readonly SS?: readonly string[];
  readonly NS?: readonly string[];
  readonly BS?: readonly string[];
}

export type WireItem = Readonly<Record<string, WireValue>>;

/** Where the GetItem response body is found on the command's output. */
export const WIRE_BODY = Symbol('itemApi.wireBody');

export type WireGetItemOutput = GetItemCommandOutput & { [WIRE_BODY]?: string };

/**
 * Keeps the JSON text of a successful GetItem response and skips the SDK's deserialisation of it.
 *
 * The SDK turns the response into JS objects (numbers as strings, binary as Uint8Array) that the
 * handler would then turn back into JSON; worse, an attribute DynamoDB allows, such as `__proto__`,
 * does not survive that trip as an ordinary property. JSON.parse keeps every name as an own
 * property, so the handler renders from the wire text instead.
 *
 * Two middlewares: the inner one, below the SDK's deserializer, takes the body of a 2xx response
 * and hands the deserializer an empty one (its output is then only `$metadata`); the outer one puts
 * the text on the output. Error responses pass through untouched, so the SDK still raises its typed
 * exceptions and retries as before.
 */
export function keepWireBody(command: GetItemCommand): GetItemCommand {
  let body: string | undefined;
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      if (typeof response.statusCode === 'number' && response.statusCode < 300) {
        body = await bodyText(response.body);
        response.body = new Uint8Array(0);
      }
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'itemApiTakeWireBody' },
  );
  command.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      if (body !== undefined) (result.output as WireGetItemOutput)[WIRE_BODY] = body;
      return result;
    },
    { step: 'deserialize', priority: 'high', name: 'itemApiAttachWireBody' },
  );
  return command;
}

/** The item in a GetItem response body, or null when there is none. */
export function parseGetItemBody(body: string | undefined): WireItem | null {
  if (body === undefined) throw new InternalError('The GetItem response body was not kept');
  const parsed: unknown = body === '' ? {} : JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null) {
    throw new InternalError('DynamoDB answered GetItem with a body that is not a JSON object');
  }
  const item = (parsed as { Item?: unknown }).Item;
  if (item === undefined) return null;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new InternalError('DynamoDB answered GetItem with an Item that is not a JSON object');
  }
  return item as WireItem;
}

async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(
      typeof chunk === 'string'
        ? Buffer.from(chunk)
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
    );
  }
  return Buffer.concat(chunks).toString('utf8');
}
