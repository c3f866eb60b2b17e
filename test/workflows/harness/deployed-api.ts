import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetIntegrationCommand, GetResourcesCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { loadResponseSettings } from '#handler/src/config';
import { LocalFunction } from '#local/local-function';
import { createRestApiEmulator, MAX_HEADER_BYTES } from '#local/rest-api-emulator';
import { EMULATOR_CREDENTIALS, emulatorClients } from '../../deploy/emulated-aws';

/**
 * Stands in for one deployed REST API and its function, built from what the deploy left on moto:
 * the stage names of the REST API, the Lambda its `/{id}` integration invokes, that function's
 * handler, timeout and environment (TABLE_NAME…), and its code, found by the CodeSha256 moto
 * recorded among the zips the deploy job uploaded. The code runs in this project's local Lambda
 * runtime (Node 22, local/local-function.ts) behind its API Gateway REST emulator
 * (local/rest-api-emulator.ts), and reads the table Terraform created on moto.
 *
 * What stands in, plainly: moto cannot run a function, so the local runtime runs the deployed zip;
 * moto's API Gateway serves nothing, so the local emulator answers for it, and requests reach it
 * through the route in deployed-api-route.ts instead of DNS and API Gateway's TLS endpoint. What it
 * cannot show: IAM on the function's role (moto's DynamoDB checks none), Lambda's real cold start
 * and limits beyond those the local runtime models, API Gateway throttling and its access logs.
 */
export interface DeployedApi {
  readonly stage: string;
  readonly functionName: string;
  /** Serves one decrypted connection to the stage's host. */
  serve(connection: import('node:stream').Duplex): void;
  stop(): Promise<void>;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('base64');

/** Zips under cdktf.out/stacks/<stack>/assets of every workspace below `root`. */
export function assetZips(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter(
      (file) => /cdktf\.out\/stacks\/[^/]+\/assets\/.+\.zip$/.test(file) && !file.includes('node_modules'),
    )
    .map((file) => path.join(root, file));
}

export async function buildDeployedApi(options: {
  endpoint: string;
  region: string;
  restApiId: string;
  /** Where deploy jobs left their workspaces. */
  workspacesRoot: string;
  log: (line: string) => void;
}): Promise<DeployedApi | undefined> {
  const aws = emulatorClients(options.endpoint, options.region);
  const stages = await aws.apigateway
    .send(new GetStagesCommand({ restApiId: options.restApiId }))
    .catch(() => undefined);
  const stage = stages?.item?.[0]?.stageName;
  if (stage === undefined) return undefined;
  const resources = await aws.apigateway.send(new GetResourcesCommand({ restApiId: options.restApiId }));
  const itemResource = resources.items?.find((r) => r.path === '/{id}');
  const integration = await aws.apigateway.send(
    new GetIntegrationCommand({
      restApiId: options.restApiId,
      resourceId: itemResource?.id,
      httpMethod: 'GET',
    }),
  );
  const functionArn = /functions\/(.+)\/invocations$/.exec(integration.uri ?? '')?.[1];
  if (functionArn === undefined)
    throw new Error(`the GET /{id} integration has no function: ${integration.uri}`);
  const fn = await aws.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionArn }));
  const zip = assetZips(options.workspacesRoot).find((file) => sha256(file) === fn.CodeSha256);
  if (zip === undefined) throw new Error(`no uploaded zip has the deployed code's sha256 ${fn.CodeSha256}`);
  const [file, exportName] = (fn.Handler ?? '').split('.');
  const codeDir = mkdtempSync(path.join(tmpdir(), 'item-api-deployed-code-'));
  execFileSync('unzip', ['-q', zip, '-d', codeDir]);
  const bundle = path.join(codeDir, `${file}.mjs`);
  if (!existsSync(bundle) || exportName !== 'handler') {
    throw new Error(`the deployed handler ${fn.Handler} is not a file of the zip the runtime can load`);
  }
  const functionEnv = fn.Environment?.Variables ?? {};
  const lambda = await LocalFunction.start({
    bundle,
    env: {
      ...functionEnv,
      AWS_REGION: options.region,
      AWS_ENDPOINT_URL_DYNAMODB: options.endpoint,
      AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    },
    timeoutMs: (fn.Timeout ?? 3) * 1000,
    log: options.log,
  });
  const gateway = createRestApiEmulator((event) => lambda.invoke(event), {
    stage,
    corsOrigins: loadResponseSettings(functionEnv).corsOrigins,
    log: options.log,
  });
  // The stage's own URL space: `/<stage>/…` reaches the API's resources; the emulator's header
  // limit and its answers to unparsable requests apply here too, as the emulator's own server does.
  const front: Server = createServer(
    { maxHeaderSize: MAX_HEADER_BYTES },
    (req: IncomingMessage, res: ServerResponse) => {
      const prefix = `/${stage}`;
      const url = req.url ?? '/';
      if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) {
        // API Gateway's answer for a path outside every stage of the API.
        res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"Forbidden"}');
        return;
      }
      const rest = url.slice(prefix.length);
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
      gateway.emit('request', req, res);
    },
  );
  front.on('clientError', (error, socket) => gateway.emit('clientError', error, socket));
  options.log(`deployed API ${options.restApiId}/${stage} → ${fn.FunctionName} (code ${path.basename(zip)})`);
  return {
    stage,
    functionName: fn.FunctionName ?? functionArn,
    serve: (connection) => front.emit('connection', connection),
    stop: async () => {
      front.closeAllConnections();
      await lambda.stop();
      rmSync(codeDir, { recursive: true, force: true });
    },
  };
}
