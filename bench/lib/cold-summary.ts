import type { ColdResult } from './bench-result';
import type { ColdSample } from './cold';
import { summarize } from './stats';

export function summarizeCold(samples: readonly ColdSample[]): ColdResult {
  const pick = (key: keyof ColdSample) => {
    const values = samples.flatMap((s) => (s[key] === undefined ? [] : [s[key]]));
    return values.length > 0 ? summarize(values) : undefined;
  };
  return {
    cold: pick('coldMs'),
    import: pick('importMs'),
    firstRequest: pick('firstRequestMs'),
    boot: pick('bootMs'),
    wall: summarize(samples.map((s) => s.wallMs)),
    samples,
  };
}
