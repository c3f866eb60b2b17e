import {
  type CachePolicy,
  type CorsOrigins,
  cachePolicyProblems,
  corsOriginProblems,
} from '../handler/src/response-policy';
import type { Check } from '../shared/rules';

/** `*`, or a list of origins (scheme, host, optional port) the API answers with CORS headers. */
export const checkCorsOrigins: Check<CorsOrigins> = (value) => {
  const problems = corsOriginProblems(value);
  return problems.length === 0 ? undefined : `must be "*" or a list of origins: ${problems.join('; ')}`;
};

export const checkCachePolicy: Check<CachePolicy> = (value) => {
  const problems = cachePolicyProblems(value);
  return problems.length === 0 ? undefined : problems.join('; ');
};
