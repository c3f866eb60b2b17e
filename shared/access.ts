import { isIPv4, isIPv6 } from 'node:net';
import { shown } from './quoted';
import { type Check, checkBurstLimit, checkRateLimit } from './rules';
import type { Validator } from './validation';

/**
 * Who may call the API, per environment (`api.access` in infra/config.ts): the settings, the rule
 * each one obeys, and their validation, written once for the infrastructure (infra/api-access.ts)
 * and the local stack (local/access-gate.ts). docs/access.md explains each mode.
 */

export const ACCESS_MODES = ['public', 'api-key', 'iam'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/** A usage plan: what each of its keys may do. Limits count per key, not for the plan as a whole. */
export interface UsagePlanSettings {
  /** Steady requests per second and burst (the token bucket's size), per key. */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Requests per key per calendar period.
   * @default - no quota
   */
  readonly quota?: { readonly limit: number; readonly period: QuotaPeriod };
}

/** One caller of an `api-key` API. */
export interface ConsumerSettings {
  /** The usage plan the consumer's key belongs to (a key is in one plan per stage). */
  readonly plan: string;
  /**
   * The id (never the value) of a key created elsewhere, e.g. `3f8ewvvgyf`, to attach to the plan.
   * @default - API Gateway generates the key
   */
  readonly apiKeyId?: string;
}

/** Where calls may come from, in any mode; both limits are statements of the resource policy. */
export interface NetworkLimits {
  /**
   * Source addresses allowed to call, as CIDR blocks (IPv4 or IPv6); every other address is denied.
   * @default - any address
   */
  readonly sourceCidrs?: readonly string[];
  /**
   * Make the API private: reachable only inside a VPC, and only through the named interface
   * endpoints (`com.amazonaws.<region>.execute-api`).
   * @default - a regional, internet-facing endpoint
   */
  readonly privateEndpoint?: { readonly vpcEndpointIds: readonly string[] };
}

interface AccessBase {
  readonly network?: NetworkLimits;
}

/** Anyone may call (today's behaviour), within the stage's throttling and any network limits. */
export interface PublicAccess extends AccessBase {
  readonly mode: 'public';
}

/** Every call carries an `x-api-key` of a named consumer, counted against that consumer's plan. */
export interface ApiKeyAccess extends AccessBase {
  readonly mode: 'api-key';
  /** Usage plans by name; a plan without consumers is for keys attached outside Terraform. */
  readonly plans: Readonly<Record<string, UsagePlanSettings>>;
  /** Consumers by name; each gets (or attaches) one key in its plan. @default {} */
  readonly consumers?: Readonly<Record<string, ConsumerSettings>>;
}

/** Every call is signed (SigV4) by one of the named accounts or roles. */
export interface IamAccess extends AccessBase {
  readonly mode: 'iam';
  readonly callers: {
    /** Accounts whose principals may call (each also needs `execute-api:Invoke` in its own policies). */
    readonly accounts?: readonly string[];
    /** Roles that may call, from any account. */
    readonly roleArns?: readonly string[];
  };
}

export type ApiAccess = PublicAccess | ApiKeyAccess | IamAccess;

export const PUBLIC_ACCESS: PublicAccess = { mode: 'public' };

/** Whether the API needs a resource policy: anything but plain public access. */
export function needsResourcePolicy(access: ApiAccess): boolean {
  return access.mode === 'iam' || access.network !== undefined;
}

/** Plan and consumer names: they become resource names and Terraform ids. */
export const checkAccessName: Check<string> = (value) =>
  /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/.test(value)
    ? undefined
    : `must be 1-32 lowercase letters, digits and inner hyphens, got ${shown(value)}`;

/** API Gateway's ids are 10 lowercase letters or digits; a key's value is 20 to 128 characters. */
export const checkApiKeyId: Check<string> = (value) =>
  /^[a-z0-9]{10}$/.test(value)
    ? undefined
    : `must be the id of an API key (10 lowercase letters or digits, as \`aws apigateway get-api-keys\` lists it), never its value, got ${value.length >= 20 ? 'something as long as a key value' : shown(value)}`;

/** What API Gateway accepts as a key value: 20 to 128 letters and digits. */
export const checkApiKeyValue: Check<string> = (value) =>
  /^[A-Za-z0-9]{20,128}$/.test(value)
    ? undefined
    : `must be 20 to 128 letters and digits, as API Gateway requires of a key value (got ${value.length} characters)`;

export const checkQuotaLimit: Check<number> = (value) =>
  Number.isInteger(value) && value >= 1
    ? undefined
    : `must be a whole number of requests of at least 1, got ${value}`;

export const checkQuotaPeriod: Check<string> = (value) =>
  (QUOTA_PERIODS as readonly string[]).includes(value)
    ? undefined
    : `must be one of ${QUOTA_PERIODS.join(', ')}, got ${shown(value)}`;

export const checkAccountId: Check<string> = (value) =>
  /^\d{12}$/.test(value) ? undefined : `must be a 12-digit AWS account id, got ${shown(value)}`;

export const checkRoleArn: Check<string> = (value) =>
  /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/.test(value)
    ? undefined
    : `must be an IAM role ARN such as arn:aws:iam::123456789012:role/reader, got ${shown(value)}`;

export const checkVpcEndpointId: Check<string> = (value) =>
  /^vpce-[0-9a-f]{8}(?:[0-9a-f]{9})?$/.test(value)
    ? undefined
    : `must be a VPC endpoint id such as vpce-0123456789abcdef0, got ${shown(value)}`;

/** An IPv4 or IPv6 block written as its network address: `10.0.0.1/8` is almost surely a typo. */
export const checkCidr: Check<string> = (value) => {
  const [address = '', prefix, ...rest] = value.split('/');
  const bits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
  if (
    bits === 0 ||
    rest.length > 0 ||
    prefix === undefined ||
    !/^\d{1,3}$/.test(prefix) ||
    Number(prefix) > bits
  )
    return `must be a CIDR block such as 203.0.113.0/24 or 2001:db8::/32, got ${shown(value)}`;
  const host =
    (bits === 32 ? ipv4Bits(address) : ipv6Bits(address)) & ((1n << BigInt(bits - Number(prefix))) - 1n);
  return host === 0n ? undefined : `must be a network address: ${value} has host bits set`;
};

function ipv4Bits(address: string): bigint {
  return address.split('.').reduce((sum, octet) => (sum << 8n) + BigInt(octet), 0n);
}

function ipv6Bits(address: string): bigint {
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((sum, group) => (sum << 16n) + BigInt(`0x${group}`), 0n);
}

/** What the rest of the API's settings tell about access. */
export interface AccessContext {
  /** The stage's throttling, which caps every key's plan. */
  readonly stageThrottling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly hasCustomDomain: boolean;
}

/** Every problem of an access setting, each at its path under `at`. */
export function validateApiAccess(access: ApiAccess, at: Validator, context: AccessContext): void {
  const mode: string = access.mode;
  at.report(
    'mode',
    (ACCESS_MODES as readonly string[]).includes(mode)
      ? undefined
      : `must be one of ${ACCESS_MODES.map((m) => `"${m}"`).join(', ')}, got ${shown(mode)}`,
  );
  if (access.mode === 'api-key') validateApiKeyAccess(access, at, context);
  if (access.mode === 'iam') validateIamAccess(access, at);
  if (access.network !== undefined) validateNetworkLimits(access.network, at.at('network'), context);
}

function validateApiKeyAccess(access: ApiKeyAccess, at: Validator, context: AccessContext): void {
  const plans = Object.entries(access.plans ?? {});
  at.report('plans', plans.length > 0 ? undefined : 'must name at least one usage plan');
  const { rateLimit: stageRate, burstLimit: stageBurst } = context.stageThrottling;
  for (const [name, plan] of plans) {
    const planAt = at.at(`plans.${name}`);
    planAt
      .check('', name, checkAccessName)
      .check('throttle.rateLimit', plan.throttle?.rateLimit, checkRateLimit)
      .check('throttle.burstLimit', plan.throttle?.burstLimit, checkBurstLimit)
      .check('quota.limit', plan.quota?.limit, checkQuotaLimit)
      .check('quota.period', plan.quota?.period, checkQuotaPeriod)
      .report('throttle', plan.throttle === undefined ? 'must set rateLimit and burstLimit' : undefined)
      // The stage throttles every caller together before a key's plan applies, so a plan above it never binds.
      .report(
        'throttle.rateLimit',
        (plan.throttle?.rateLimit ?? 0) > stageRate
          ? `must not exceed the stage's throttling (api.throttling.rateLimit = ${stageRate})`
          : undefined,
      )
      .report(
        'throttle.burstLimit',
        (plan.throttle?.burstLimit ?? 0) > stageBurst
          ? `must not exceed the stage's throttling (api.throttling.burstLimit = ${stageBurst})`
          : undefined,
      );
  }
  for (const [name, consumer] of Object.entries(access.consumers ?? {})) {
    const consumerAt = at.at(`consumers.${name}`);
    consumerAt
      .check('', name, checkAccessName)
      .check('apiKeyId', consumer.apiKeyId, checkApiKeyId)
      .report(
        'plan',
        consumer.plan in (access.plans ?? {})
          ? undefined
          : `must name one of the plans (${plans.map(([plan]) => plan).join(', ') || 'none'}), got ${shown(consumer.plan)}`,
      );
  }
  const ids = Object.values(access.consumers ?? {}).flatMap((c) => c.apiKeyId ?? []);
  at.report(
    'consumers',
    new Set(ids).size === ids.length ? undefined : 'must not attach the same apiKeyId twice',
  );
}

function validateIamAccess(access: IamAccess, at: Validator): void {
  const { accounts = [], roleArns = [] } = access.callers ?? {};
  at.report(
    'callers',
    accounts.length + roleArns.length > 0 ? undefined : 'must name at least one account or role ARN',
  );
  checkEach(at, 'callers.accounts', accounts, checkAccountId);
  checkEach(at, 'callers.roleArns', roleArns, checkRoleArn);
}

function validateNetworkLimits(network: NetworkLimits, at: Validator, context: AccessContext): void {
  const { sourceCidrs, privateEndpoint } = network;
  if (sourceCidrs !== undefined) {
    at.report(
      'sourceCidrs',
      sourceCidrs.length > 0 ? undefined : 'must name at least one CIDR block when set',
    );
    checkEach(at, 'sourceCidrs', sourceCidrs, checkCidr);
  }
  if (privateEndpoint !== undefined) {
    const ids = privateEndpoint.vpcEndpointIds ?? [];
    at.report(
      'privateEndpoint.vpcEndpointIds',
      ids.length > 0
        ? undefined
        : 'must name at least one VPC endpoint: a private API is reachable only through one',
    );
    checkEach(at, 'privateEndpoint.vpcEndpointIds', ids, checkVpcEndpointId);
    at.report(
      'privateEndpoint',
      context.hasCustomDomain
        ? 'cannot be combined with api.customDomain: the regional custom domain cannot serve a private API'
        : undefined,
    );
  }
}

function checkEach<T>(at: Validator, path: string, values: readonly T[], check: Check<T>): void {
  for (const [i, value] of values.entries()) at.check(`${path}[${i}]`, value, check);
}
