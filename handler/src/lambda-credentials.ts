import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the bundle (see scripts/build.ts). Lambda
 * always hands the function its role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, so the default chain's other sources (SSO, INI files, process, web identity,
 * container and instance metadata) are dead code here: about 135 KB that every cold start parsed.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
