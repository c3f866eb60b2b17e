/**
 * API key values a plan would show. Terraform hides `aws_api_gateway_api_key.value` (sensitive),
 * but hashicorp/aws 5.100.0 does not mark `aws_api_gateway_usage_plan_key.value` sensitive, so the
 * text of a plan that removes or replaces a consumer's attachment prints that consumer's key in
 * full, and the plan's JSON holds every key in its prior state. The plan files the pull-request
 * comment and the artifacts are made of pass through `redactKeyValues` first (docs/access.md).
 * The binary plan and the state itself still hold them: who may read those may read the keys.
 */

const KEY_TYPES = new Set(['aws_api_gateway_api_key', 'aws_api_gateway_usage_plan_key']);

/** Every API key value in a `terraform show -json` plan: in its changes and in its prior state. */
export function keyValuesIn(plan: unknown): string[] {
  const found = new Set<string>();
  const take = (type: unknown, values: unknown) => {
    if (!KEY_TYPES.has(String(type)) || values === null || typeof values !== 'object') return;
    const value = (values as { value?: unknown }).value;
    if (typeof value === 'string' && value.length >= 20) found.add(value);
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if ('type' in record) {
      take(record.type, record.values);
      const change = record.change as { before?: unknown; after?: unknown } | undefined;
      take(record.type, change?.before);
      take(record.type, change?.after);
    }
    for (const child of Object.values(record)) walk(child);
  };
  walk(plan);
  return [...found];
}

export const REDACTED = 'REDACTED-API-KEY-VALUE';

/** `text` with every one of `values` replaced. */
export function redactKeyValues(text: string, values: readonly string[]): string {
  return values.reduce((redacted, value) => redacted.replaceAll(value, REDACTED), text);
}
