import autocannon from 'autocannon';

/**
 * `npm run load -- --access api-key`: one key on a usage plan, driven at rates below and above the
 * plan's, a few seconds each, to show where 429s start and what gets through under overload.
 *
 * autocannon's rate option sends each second's requests at the start of that second (per
 * connection, then it pauses), so the plan's burst is set to its rate: a second's requests then
 * fit the bucket exactly when they are within the rate, and the onset of 429s is the rate itself,
 * not an artefact of the generator's bunching.
 */

export interface ThrottleLoadOptions {
  readonly apiUrl: string;
  readonly key: string;
  /** The plan's rate (requests per second); its burst is the same. */
  readonly rate: number;
  readonly secondsPerStep: number;
  readonly connections: number;
}

/** Offered rates, as multiples of the plan's: below it, and above it by 10% and more. */
export const STEPS = [0.5, 0.8, 0.9, 1.1, 1.25, 1.5, 2] as const;

/** How far from the plan's rate the figures may be. */
export const TOLERANCE = 0.1;

export interface StepResult {
  readonly offered: number;
  readonly okPerSecond: number;
  readonly throttledPerSecond: number;
  readonly otherStatuses: Record<string, number>;
  readonly fiveXx: number;
  readonly errors: number;
}

export interface ThrottleFigures {
  readonly steps: readonly StepResult[];
  /** The highest offered rate with no 429 and the lowest with some: 429s start between them. */
  readonly lastClean: number | undefined;
  readonly firstThrottled: number | undefined;
  /** Requests per second that got through at the highest step. */
  readonly acceptedUnderOverload: number;
  readonly failures: readonly string[];
}

export async function runThrottleLoad(options: ThrottleLoadOptions): Promise<ThrottleFigures> {
  const { rate, secondsPerStep: seconds } = options;
  const steps: StepResult[] = [];
  for (const multiple of STEPS) {
    // A rested bucket for every step: it refills at `rate` a second up to its burst.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const result = await autocannon({
      url: `${options.apiUrl}/hello`,
      connections: options.connections,
      duration: seconds,
      overallRate: Math.round(rate * multiple),
      headers: { 'x-api-key': options.key },
    });
    const counts = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats?.count ?? 0]),
    );
    const { 200: ok = 0, 429: throttled = 0, ...others } = counts;
    steps.push({
      offered: (ok + throttled + Object.values(others).reduce((a, b) => a + b, 0)) / seconds,
      okPerSecond: ok / seconds,
      throttledPerSecond: throttled / seconds,
      otherStatuses: others,
      fiveXx: result['5xx'],
      errors: result.errors + result.timeouts,
    });
  }
  return figures(steps, rate);
}

export function figures(steps: readonly StepResult[], rate: number): ThrottleFigures {
  const clean = steps.filter((s) => s.throttledPerSecond === 0).map((s) => s.offered);
  const throttled = steps.filter((s) => s.throttledPerSecond > 0).map((s) => s.offered);
  const lastClean = clean.length > 0 ? Math.max(...clean) : undefined;
  const firstThrottled = throttled.length > 0 ? Math.min(...throttled) : undefined;
  const acceptedUnderOverload = steps.at(-1)?.okPerSecond ?? 0;
  const off = (value: number) => Math.abs(value - rate) / rate;
  const failures = [
    steps.some((s) => s.fiveXx > 0) && `${steps.reduce((n, s) => n + s.fiveXx, 0)} 5xx responses`,
    steps.some((s) => s.errors > 0) && 'connection errors or timeouts',
    steps.some((s) => Object.keys(s.otherStatuses).length > 0) && 'statuses other than 200 and 429',
    (lastClean === undefined || lastClean < rate * (1 - TOLERANCE)) &&
      `429s started below ${rate * (1 - TOLERANCE)} requests per second`,
    (firstThrottled === undefined || firstThrottled > rate * (1 + TOLERANCE)) &&
      `no 429 at ${rate * (1 + TOLERANCE)} requests per second`,
    firstThrottled !== undefined &&
      lastClean !== undefined &&
      firstThrottled <= lastClean &&
      'a slower step was throttled while a faster one was not',
    off(acceptedUnderOverload) > TOLERANCE &&
      `${acceptedUnderOverload.toFixed(1)} requests per second got through under overload, not ${rate} within ${TOLERANCE * 100}%`,
  ].filter((failure): failure is string => typeof failure === 'string');
  return { steps, lastClean, firstThrottled, acceptedUnderOverload, failures };
}

export function formatFigures(result: ThrottleFigures, rate: number): string {
  const row = (cells: (string | number)[]) => cells.map((c) => String(c).padStart(12)).join('');
  const lines = [
    row(['offered/s', '200/s', '429/s', '5xx']),
    ...result.steps.map((s) =>
      row([s.offered.toFixed(1), s.okPerSecond.toFixed(1), s.throttledPerSecond.toFixed(1), s.fiveXx]),
    ),
    '',
    `429s start between ${result.lastClean?.toFixed(1) ?? '-'} and ${result.firstThrottled?.toFixed(1) ?? '-'} requests/s offered (plan rate ${rate})`,
    `under overload ${result.acceptedUnderOverload.toFixed(1)} requests/s get through (plan rate ${rate}, ${((Math.abs(result.acceptedUnderOverload - rate) / rate) * 100).toFixed(1)}% off)`,
  ];
  return lines.join('\n');
}
