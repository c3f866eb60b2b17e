import { WIRE_BODY, type WireGetItemOutput, type WireItem } from '#handler/src/wire-item';

/** What the client returns for a GetItem that found `item`, as the repository's middleware leaves it. */
export function foundOutput(item: WireItem): WireGetItemOutput {
  return { $metadata: { httpStatusCode: 200 }, [WIRE_BODY]: JSON.stringify({ Item: item }) };
}

/** What the client returns for a GetItem that found nothing. */
export function missingOutput(): WireGetItemOutput {
  return { $metadata: { httpStatusCode: 200 }, [WIRE_BODY]: '{}' };
}
