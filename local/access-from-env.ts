import { ACCESS_MODES, type ApiAccess, checkAccessName, checkApiKeyValue } from '#shared/access';
import { Validator } from '#shared/validation';
import type { LocalAccess, LocalApiKey } from './access-gate';

/**
 * `npm start`'s access settings, from its environment:
 * - `API_ACCESS=public|api-key|iam` picks the mode (default public);
 * - `LOCAL_API_KEYS=name=value,…` the keys in api-key mode, each under the plan that
 *   `API_ENVIRONMENT`'s entry in infra/config.ts (default dev) gives the consumer of that name;
 * - in iam mode the one caller is `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (and
 *   `AWS_SESSION_TOKEN`), signing for that environment's region.
 * Every problem is reported at once, by variable name.
 */

/** The parts of an environment's config that local access reads. */
export interface AccessEnvironment {
  readonly name: string;
  readonly region: string;
  readonly api?: { readonly access?: ApiAccess };
}

export interface LocalAccessSettings {
  readonly access: LocalAccess;
  /** One line for npm start's banner. */
  readonly summary: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_ACCESS_ENVIRONMENT = 'dev';

export async function localAccessFromEnv(
  env: Env,
  environments: () => Promise<readonly AccessEnvironment[]>,
): Promise<LocalAccessSettings> {
  const at = Validator.for('');
  const mode = env.API_ACCESS?.trim() || 'public';
  at.report(
    'API_ACCESS',
    (ACCESS_MODES as readonly string[]).includes(mode)
      ? undefined
      : `must be one of ${ACCESS_MODES.join(', ')}, got ${JSON.stringify(mode)}`,
  );
  at.report(
    'LOCAL_API_KEYS',
    env.LOCAL_API_KEYS?.trim() && mode !== 'api-key' ? 'is read only with API_ACCESS=api-key' : undefined,
  );
  if (mode === 'public') {
    at.throwIfInvalid('access settings for npm start');
    return { access: { mode: 'public' }, summary: 'public (set API_ACCESS=api-key or iam)' };
  }
  if (mode !== 'api-key' && mode !== 'iam') at.throwIfInvalid('access settings for npm start');

  // Only now infra/config.ts is read: it loads the constructs, which npm start otherwise never needs.
  const name = env.API_ENVIRONMENT?.trim() || DEFAULT_ACCESS_ENVIRONMENT;
  const all = await environments();
  const environment = all.find((e) => e.name === name);
  at.report(
    'API_ENVIRONMENT',
    environment
      ? undefined
      : `must name an environment of infra/config.ts (${all.map((e) => e.name).join(', ')}), got ${JSON.stringify(name)}`,
  );

  if (mode === 'iam') {
    const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim() ?? '';
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? '';
    at.report(
      'AWS_ACCESS_KEY_ID',
      accessKeyId ? undefined : 'must be set: the one caller API_ACCESS=iam lets in',
    ).report('AWS_SECRET_ACCESS_KEY', secretAccessKey ? undefined : 'must be set with AWS_ACCESS_KEY_ID');
    at.throwIfInvalid('access settings for npm start');
    const region = (environment as AccessEnvironment).region;
    const sessionToken = env.AWS_SESSION_TOKEN || undefined;
    return {
      access: { mode: 'iam', credentials: { accessKeyId, secretAccessKey, sessionToken }, region },
      summary: `iam: requests signed (SigV4, execute-api, ${region}) by ${accessKeyId}${sessionToken ? ' with its session token' : ''}`,
    };
  }

  const configured = environment?.api?.access;
  const plans = configured?.mode === 'api-key' ? configured : undefined;
  const keys: LocalApiKey[] = [];
  const pairs = (env.LOCAL_API_KEYS ?? '')
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean);
  at.report(
    'LOCAL_API_KEYS',
    pairs.length > 0 ? undefined : 'must list the keys, name=value,… (API_ACCESS=api-key)',
  );
  for (const [i, pair] of pairs.entries()) {
    const [keyName = '', value = ''] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    const keyAt = at.at(`LOCAL_API_KEYS[${i}]`);
    if (!pair.includes('=')) {
      keyAt.report('', 'must be name=value');
      continue;
    }
    keyAt.check('', keyName, (n) => (checkAccessName(n) ? `name ${checkAccessName(n)}` : undefined));
    keyAt.check('', value, (v) => (checkApiKeyValue(v) ? `value ${checkApiKeyValue(v)}` : undefined));
    const consumer = plans?.consumers?.[keyName];
    keys.push({ name: keyName, value, plan: consumer && plans?.plans[consumer.plan] });
  }
  at.report(
    'LOCAL_API_KEYS',
    new Set(keys.map((k) => k.name)).size === keys.length ? undefined : 'names a consumer twice',
  ).report(
    'LOCAL_API_KEYS',
    new Set(keys.map((k) => k.value)).size === keys.length ? undefined : 'gives two consumers the same value',
  );
  at.throwIfInvalid('access settings for npm start');
  const described = keys.map((k) => {
    const consumer = plans?.consumers?.[k.name];
    return consumer ? `${k.name} (plan ${consumer.plan})` : `${k.name} (no plan in ${name}: unlimited)`;
  });
  return { access: { mode: 'api-key', keys }, summary: `api-key: ${described.join(', ')}; send x-api-key` };
}
