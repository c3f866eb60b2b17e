import type { ApiAccess } from '#shared/access';

/** Access settings the tests share: one of each mode, with every option each mode has. */

/** Two plans, a generated key and an attached one. */
export const KEY_ACCESS: ApiAccess = {
  mode: 'api-key',
  plans: {
    partner: { throttle: { rateLimit: 10, burstLimit: 20 }, quota: { limit: 100_000, period: 'MONTH' } },
    internal: { throttle: { rateLimit: 40, burstLimit: 80 } },
  },
  consumers: { acme: { plan: 'partner' }, globex: { plan: 'internal', apiKeyId: 'a1b2c3d4e5' } },
};

/** An account and a role of another account. */
export const IAM_ACCESS: ApiAccess = {
  mode: 'iam',
  callers: { accounts: ['111122223333'], roleArns: ['arn:aws:iam::444455556666:role/reader'] },
};

export const NETWORK_LIMITS = {
  sourceCidrs: ['10.1.0.0/16'],
  privateEndpoint: { vpcEndpointIds: ['vpce-0123456789abcdef0'] },
} as const;
