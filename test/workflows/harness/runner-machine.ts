import path from 'node:path';

/**
 * The machine a job runs on: a GitHub-hosted runner's environment is its image's PATH and locale,
 * nothing of the process that started it. Here that is this machine's PATH without this project's
 * node_modules/.bin (which npm puts first, and which would hand every step Node 22 whatever
 * setup-node says), plus what this machine needs and says so: CHECKPOINT_DISABLE (Terraform's
 * update check has no network here) and whatever the world adds (`extra`).
 */
export function systemPath(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes('node_modules'))
    .join(path.delimiter);
}

export function runnerMachineEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { PATH: systemPath(), LANG: 'C.UTF-8', CHECKPOINT_DISABLE: '1', ...extra };
}
