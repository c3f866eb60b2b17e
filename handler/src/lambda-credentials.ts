import { fromEnv } from '@aws-sdk/credential-provider-env';

type EnvInit = Parameters<typeof fromEnv>[0];
type Provider = ReturnType<typeof fromEnv>;

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the bundle (see scripts/build.ts). Lambda
 * always hands the function its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, so the default chain's other sources (SSO, INI files, process, web identity,
 * container and instance metadata) are dead code here: about 135 KB that every cold start parsed.
 *
 * The SDK expects the default provider to cache what it resolves (the real chain does), so this one
 * does too: otherwise every request re-reads the environment, which the bench showed as ~1% of a
 * warm request. Lambda's credentials do not change within an execution environment.
 */
export const defaultProvider = (init?: EnvInit): Provider => {
  const provider = fromEnv(init);
  let resolved: ReturnType<Provider> | undefined;
  return (options) => {
    resolved ??= provider(options).catch((error: unknown) => {
      resolved = undefined;
      throw error;
    });
    return resolved;
  };
};
