import type { QuotaPeriod, UsagePlanSettings } from '#shared/access';

/**
 * A usage plan's limits for one API key, as API Gateway applies them (docs/access.md): a token
 * bucket (`rateLimit` tokens a second, at most `burstLimit` held; each request takes one, none
 * left is 429 THROTTLED) and a request count per calendar period (over the quota is 429
 * QUOTA_EXCEEDED). AWS applies both on a best-effort basis and does not document its bucket's
 * exact timing or where its periods start; this one refills continuously and starts periods at
 * 00:00 UTC (weeks on Sunday, months on the 1st).
 */
export type UsageVerdict = 'allowed' | 'throttled' | 'quota exceeded';

export class UsageLimits {
  private tokens: number;
  private refilledAt: number;
  private period: string | undefined;
  private used = 0;

  constructor(
    private readonly plan: UsagePlanSettings,
    now: number,
  ) {
    this.tokens = plan.throttle.burstLimit;
    this.refilledAt = now;
  }

  /** Counts one request at `now` (ms since the epoch) and says whether it may proceed. */
  take(now: number): UsageVerdict {
    const { rateLimit, burstLimit } = this.plan.throttle;
    this.tokens = Math.min(burstLimit, this.tokens + ((now - this.refilledAt) / 1000) * rateLimit);
    this.refilledAt = now;
    if (this.tokens < 1) return 'throttled';
    this.tokens -= 1;
    const quota = this.plan.quota;
    if (quota === undefined) return 'allowed';
    const period = periodOf(now, quota.period);
    if (period !== this.period) {
      this.period = period;
      this.used = 0;
    }
    if (this.used >= quota.limit) return 'quota exceeded';
    this.used += 1;
    return 'allowed';
  }
}

/** The calendar period (UTC) a moment falls in, as a comparable key. */
export function periodOf(now: number, period: QuotaPeriod): string {
  const date = new Date(now);
  const day = date.toISOString().slice(0, 10);
  if (period === 'DAY') return day;
  if (period === 'MONTH') return day.slice(0, 7);
  const sunday = new Date(now - date.getUTCDay() * 86_400_000);
  return `week of ${sunday.toISOString().slice(0, 10)}`;
}
