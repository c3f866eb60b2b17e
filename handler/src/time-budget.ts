/**
 * Settles like `work`, or rejects with an AbortError once `ms` have passed, whichever is first.
 *
 * The SDK call is abandoned, not aborted: handing the SDK an AbortSignal costs every request an
 * AbortController and EventTarget listeners (about 2% of a warm GetItem in `npm run bench`), while
 * an abandoned call still ends on its own within the client's connect and socket timeouts and
 * `maxAttempts` (handler/src/config.ts). The timer is cleared as soon as the work settles, so no
 * timer outlives its request.
 */
export function withinTimeBudget<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(budgetExpired()), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

function budgetExpired(): Error {
  const error = new Error('The DynamoDB time budget ran out');
  error.name = 'AbortError';
  return error;
}
