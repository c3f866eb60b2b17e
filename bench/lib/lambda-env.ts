import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/local-dynamodb';
import { LANE } from '#shared/toolchain';

export interface LambdaEnvOptions {
  readonly tableName: string;
  readonly endpoint: string;
  /** The folder the function's code sits in (LAMBDA_TASK_ROOT). */
  readonly taskRoot: string;
  /** An empty folder: no ~/.aws files leak in from the machine running the bench, as on Lambda. */
  readonly home: string;
  /** The memory size being modelled, as Lambda reports it to the function. */
  readonly memoryMb: number;
  /** How the function trusts the local endpoint's certificate authority (tls-trust.ts). */
  readonly caTrustEnv: Readonly<Record<string, string>>;
  /** The Lambda runtime the environment names. @default the toolchain lane's */
  readonly runtime?: string;
}

/**
 * The environment Lambda gives a Node.js function, the same for every variant: SDK code paths
 * (credential chain, user agent, recursion detection, config-file loading) branch on these, so a
 * bench without them would time a path Lambda never takes. Nothing is inherited from the shell.
 */
export function lambdaEnv(options: LambdaEnvOptions): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    HOME: options.home,
    LAMBDA_TASK_ROOT: options.taskRoot,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    AWS_EXECUTION_ENV: `AWS_Lambda_${options.runtime ?? LANE.lambdaRuntime}`,
    AWS_LAMBDA_FUNCTION_NAME: 'item-api-bench',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/item-api-bench',
    AWS_LAMBDA_LOG_STREAM_NAME: '2025/01/01/[$LATEST]bench',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: 'local',
    TABLE_NAME: options.tableName,
    AWS_ENDPOINT_URL_DYNAMODB: options.endpoint,
    ...options.caTrustEnv,
  };
}
