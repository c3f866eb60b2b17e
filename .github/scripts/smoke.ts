import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_ITEM_CACHE_CONTROL } from '#shared/response-policy';
import type { SmokeProfile } from './lib/conformance-cases';
import type { ProbeOptions } from './lib/http-probe';
import { runConformance, type SmokeResult, type SmokeTarget } from './lib/run-conformance';
import {
  accessModeOption,
  apiUrlFromOutputs,
  corsOriginsOption,
  type DeployedSettings,
  outputFromFile,
  settingsFromSynth,
} from './lib/smoke-profile';
import { describeTarget, reportLines, summaryMarkdown, verdict } from './lib/smoke-report';

export { apiUrlFromOutputs } from './lib/smoke-profile';

/**
 * `npm run smoke -- --url <api_url>`: the conformance smoke test. It runs every case of
 * lib/conformance-cases.ts, the list the local stack is tested against, against a deployed (or
 * local) API, so each thing the emulator assumes about API Gateway is checked where it matters.
 * Each result is printed and, under GitHub Actions, written to the job summary; a mismatch names
 * the assumption it contradicts. Exit 0: all passed; 1: an answer contradicted an assumption, or
 * the API could not be reached (the last line says which); 2: the smoke test could not run.
 *
 * What the environment was deployed with comes from, in order: flags; the synthesized stack
 * (`--synth cdktf.out/stacks/<stack>/cdk.tf.json`, what the deploy applied); the variables `npm
 * start` reads (CORS_ALLOW_ORIGIN, CACHE_CONTROL); the defaults (no CORS, `no-cache`).
 */

export const DEFAULT_ITEM_ID = 'hello';

export async function runSmoke(target: SmokeTarget, options: ProbeOptions = {}): Promise<SmokeResult> {
  return runConformance(target, options);
}

type Env = Readonly<Record<string, string | undefined>>;

const OPTIONS = {
  url: { type: 'string' },
  'outputs-file': { type: 'string' },
  stack: { type: 'string' },
  synth: { type: 'string' },
  'item-id': { type: 'string' },
  'skip-known-id': { type: 'boolean', default: false },
  'cors-origins': { type: 'string' },
  'item-cache-control': { type: 'string' },
  'execute-api-url': { type: 'string' },
  'execute-api-disabled': { type: 'boolean' },
  access: { type: 'string' },
  attempts: { type: 'string', default: '1' },
  'timeout-ms': { type: 'string' },
} as const;

/** The target and probe options a command line and environment describe. */
export function parseCommandLine(
  argv: readonly string[],
  env: Env,
): { target: SmokeTarget; probe: ProbeOptions } {
  const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  const outputs = values['outputs-file']
    ? JSON.parse(readFileSync(values['outputs-file'], 'utf8'))
    : undefined;
  const baseUrl =
    values.url ?? env.API_URL ?? (outputs ? apiUrlFromOutputs(outputs, values.stack) : undefined);
  if (!baseUrl) throw new Error('no API URL: pass --url, set API_URL, or pass --outputs-file');

  const deployed: Partial<DeployedSettings> = values.synth
    ? settingsFromSynth(JSON.parse(readFileSync(values.synth, 'utf8')))
    : {};
  const corsOption = values['cors-origins'] ?? (values.synth ? undefined : env.CORS_ALLOW_ORIGIN);
  const cors =
    corsOption !== undefined
      ? corsOriginsOption(
          corsOption,
          values['cors-origins'] !== undefined ? '--cors-origins' : 'CORS_ALLOW_ORIGIN',
        )
      : deployed.cors;

  const executeApiUrl =
    values['execute-api-url'] ??
    (outputs ? outputFromFile(outputs, 'execute_api_url', values.stack) : undefined);
  const executeApiDisabled = values['execute-api-disabled'] ?? deployed.executeApiDisabled ?? false;
  if (executeApiDisabled && executeApiUrl === undefined) {
    throw new Error('the execute-api URL is turned off, but no execute_api_url output or --execute-api-url says where it is'); // biome-ignore format: long message
  }

  // An empty SMOKE_ITEM_ID (an unset GitHub variable) means "no known item", like --skip-known-id.
  const itemId = values['skip-known-id']
    ? undefined
    : (values['item-id'] ??
      (env.SMOKE_ITEM_ID === undefined ? DEFAULT_ITEM_ID : env.SMOKE_ITEM_ID || undefined));

  // Like CORS: what was deployed, else what npm start was given (API_ACCESS).
  const access =
    values.access !== undefined
      ? accessModeOption(values.access, '--access')
      : (deployed.access ??
        (env.API_ACCESS === undefined ? undefined : accessModeOption(env.API_ACCESS, 'API_ACCESS')));
  const profile: SmokeProfile = {
    itemId,
    ...(access !== undefined && { access }),
    cors,
    itemCacheControl:
      values['item-cache-control'] ??
      deployed.itemCacheControl ??
      (values.synth ? undefined : env.CACHE_CONTROL) ??
      DEFAULT_ITEM_CACHE_CONTROL,
    ...(executeApiUrl !== undefined &&
      (executeApiDisabled || executeApiUrl.replace(/\/+$/, '') !== baseUrl.replace(/\/+$/, '')) && {
        executeApi: { url: executeApiUrl, disabled: executeApiDisabled },
      }),
  };
  const number = (name: string, value: string | undefined) => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a whole number of at least 1, got ${value}`); // biome-ignore format: long message
    return parsed;
  };
  return {
    target: { baseUrl, profile },
    probe: {
      attempts: number('--attempts', values.attempts),
      timeoutMs: number('--timeout-ms', values['timeout-ms']),
    },
  };
}

async function main(argv: readonly string[], env: Env): Promise<number> {
  const { target, probe } = parseCommandLine(argv, env);
  console.log(`Smoke test: ${describeTarget(target)}`);
  const result = await runSmoke(target, probe);
  for (const line of reportLines(result)) console.log(line);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, summaryMarkdown(target, result));
  (result.ok ? console.log : console.error)(verdict(result));
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`Smoke test could not run: ${error instanceof Error ? error.message : error}`);
      process.exitCode = 2;
    },
  );
}
