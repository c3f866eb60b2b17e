/**
 * us-east-1 list prices, as docs/operations.md records them (end of 2025; check the pages before
 * relying on them):
 * - Lambda, https://aws.amazon.com/lambda/pricing/: arm64 duration $0.0000133334 per GB-second
 *   (first 7.5 billion GB-s a month), requests $0.20 per million; INIT is billed like the invoke
 *   since 1 August 2025.
 * - API Gateway, https://aws.amazon.com/api-gateway/pricing/: REST API $3.50 per million requests
 *   (first 333 million a month).
 */
export const PRICES = {
  lambdaArm64PerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  restApiPerMillionRequests: 3.5,
  source: 'us-east-1 list prices as recorded in docs/operations.md (end of 2025)',
} as const;

/** The share of invocations that are cold, as docs/operations.md assumes. */
export const COLD_START_RATE = 0.01;

/** Lambda bills each invoke rounded up to the next ms: the mean of that over measured durations. */
export function meanBilledMs(durationsMs: readonly number[]): number {
  if (durationsMs.length === 0) throw new RangeError('no durations to bill');
  return durationsMs.reduce((sum, ms) => sum + Math.max(1, Math.ceil(ms)), 0) / durationsMs.length;
}

export interface CostInput {
  readonly memoryMb: number;
  /** Mean billed duration of a warm request, ms (meanBilledMs). */
  readonly billedMs: number;
  /** Init duration billed on each cold start, ms. */
  readonly initMs: number;
}

export interface CostPerMillion {
  readonly billedMs: number;
  readonly lambdaDuration: number;
  readonly lambdaInit: number;
  readonly lambdaRequests: number;
  readonly restApi: number;
  readonly total: number;
}

/** Dollars per million requests through API Gateway REST to the function at this memory size. */
export function costPerMillion(input: CostInput): CostPerMillion {
  const { billedMs } = input;
  const gb = input.memoryMb / 1024;
  const perGbMs = PRICES.lambdaArm64PerGbSecond / 1000;
  const lambdaDuration = 1e6 * billedMs * gb * perGbMs;
  const lambdaInit = 1e6 * COLD_START_RATE * Math.ceil(input.initMs) * gb * perGbMs;
  const lambdaRequests = PRICES.lambdaPerMillionRequests;
  const restApi = PRICES.restApiPerMillionRequests;
  return {
    billedMs,
    lambdaDuration,
    lambdaInit,
    lambdaRequests,
    restApi,
    total: lambdaDuration + lambdaInit + lambdaRequests + restApi,
  };
}
