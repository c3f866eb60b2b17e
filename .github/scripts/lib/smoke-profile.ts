import { ACCESS_MODES, type AccessMode } from '#shared/access';
import {
  type CorsOrigins,
  checkCorsOrigins,
  DEFAULT_ITEM_CACHE_CONTROL,
  parseCorsOrigins,
} from '#shared/response-policy';

/**
 * Where the smoke test learns what an environment was deployed with: the stack's outputs (its URLs)
 * and the synthesized stack that was applied (CORS, the item Cache-Control, whether the execute-api
 * URL is off), so it checks what was deployed rather than what a flag claims.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An output from `terraform output -json` (`{ name: { value } }`) or from `cdktf output
 * --outputs-file` (`{ <stack>: { name } }`); undefined when the file does not have it.
 */
export function outputFromFile(outputs: unknown, name: string, stack?: string): string | undefined {
  if (!isObject(outputs)) throw new Error('the outputs file does not hold a JSON object');
  const direct = outputs[name];
  if (isObject(direct) && typeof direct.value === 'string') return direct.value;
  if (typeof direct === 'string') return direct;
  const values = Object.entries(outputs)
    .filter(([key, value]) => (stack === undefined || key === stack) && isObject(value))
    .flatMap(([, value]) => {
      const found = (value as Record<string, unknown>)[name];
      return typeof found === 'string' ? [found] : [];
    });
  if (values.length > 1) throw new Error(`the outputs file has several stacks with ${name}; pass --stack`);
  return values[0];
}

/** `api_url` from an outputs file; an error when it has none. */
export function apiUrlFromOutputs(outputs: unknown, stack?: string): string {
  const url = outputFromFile(outputs, 'api_url', stack);
  if (url === undefined)
    throw new Error(`the outputs file has no api_url output${stack ? ` for stack ${stack}` : ''}`);
  return url;
}

/** What the synthesized stack (cdktf.out/stacks/<stack>/cdk.tf.json) says about the API's answers. */
export interface DeployedSettings {
  readonly cors: CorsOrigins | undefined;
  readonly itemCacheControl: string;
  readonly executeApiDisabled: boolean;
  /** Who may call: iam when GET /{id} takes AWS_IAM, api-key when it requires a key. */
  readonly access: AccessMode;
}

function onlyResource(stack: Record<string, unknown>, type: string): Record<string, unknown> {
  const resources = isObject(stack.resource) && isObject(stack.resource[type]) ? Object.values(stack.resource[type]) : []; // biome-ignore format: long line
  if (resources.length !== 1 || !isObject(resources[0])) {
    throw new Error(`the synthesized stack should hold exactly one ${type}, found ${resources.length}`);
  }
  return resources[0];
}

export function settingsFromSynth(stack: unknown): DeployedSettings {
  if (!isObject(stack)) throw new Error('the synthesized stack is not a JSON object');
  const fn = onlyResource(stack, 'aws_lambda_function');
  const variables =
    isObject(fn.environment) && isObject(fn.environment.variables) ? fn.environment.variables : {};
  const cors = variables.CORS_ALLOW_ORIGIN;
  const cacheControl = variables.CACHE_CONTROL;
  return {
    cors: typeof cors === 'string' ? parseCorsOrigins(cors) : undefined,
    itemCacheControl: typeof cacheControl === 'string' ? cacheControl : DEFAULT_ITEM_CACHE_CONTROL,
    executeApiDisabled: onlyResource(stack, 'aws_api_gateway_rest_api').disable_execute_api_endpoint === true,
    access: accessOfMethods(stack),
  };
}

/** The access mode the GET method was synthesized with (infra/api-definition.ts). */
function accessOfMethods(stack: Record<string, unknown>): AccessMode {
  const methods = isObject(stack.resource) && isObject(stack.resource.aws_api_gateway_method) ? Object.values(stack.resource.aws_api_gateway_method) : []; // biome-ignore format: long line
  const get = methods.find((m) => isObject(m) && m.http_method === 'GET');
  if (!isObject(get)) throw new Error('the synthesized stack has no GET method');
  if (get.authorization === 'AWS_IAM') return 'iam';
  return get.api_key_required === true ? 'api-key' : 'public';
}

/** `public`, `api-key` or `iam`, as API_ACCESS is written for npm start. */
export function accessModeOption(value: string, from: string): AccessMode {
  const mode = value.trim() || 'public';
  if (!(ACCESS_MODES as readonly string[]).includes(mode))
    throw new Error(`${from} must be one of ${ACCESS_MODES.join(', ')}, got ${JSON.stringify(value)}`);
  return mode as AccessMode;
}

/** `*`, origins separated by commas, or `none`; as CORS_ALLOW_ORIGIN is written. */
export function corsOriginsOption(value: string, from: string): CorsOrigins | undefined {
  if (value.trim() === 'none') return undefined;
  const origins = parseCorsOrigins(value);
  const problem = checkCorsOrigins(origins);
  if (problem !== undefined) throw new Error(`${from} ${problem}`);
  return origins;
}
