import type { StepRecord } from './run-records';

/**
 * Who a step acted as on AWS: STS GetCallerIdentity with the credentials in the step's
 * environment, at the step's AWS endpoint. moto names the caller from the access key alone, so
 * this reads which role session the step's keys belong to: `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
 */
export async function callerOf(step: StepRecord): Promise<string | undefined> {
  const { AWS_ACCESS_KEY_ID: key, AWS_ENDPOINT_URL: endpoint, AWS_REGION: region = 'us-east-1' } = step.env;
  if (!key || !endpoint) return undefined;
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=${key}/20260101/${region}/sts/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  return /<Arn>([^<]+)<\/Arn>/.exec(await response.text())?.[1];
}

/** The role name in an assumed-role ARN. */
export const roleOfSession = (arn: string | undefined) => /:assumed-role\/([^/]+)\//.exec(arn ?? '')?.[1];
