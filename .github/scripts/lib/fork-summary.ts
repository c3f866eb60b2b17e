import { footer, type RenderContext } from './plan-comment';

export const FORK_MESSAGE =
  'Could not plan: pull requests from forks get no AWS credentials (GitHub withholds OIDC tokens and ' +
  'secrets from them). Synth and the offline `terraform validate` ran; a maintainer can push the ' +
  'branch to this repository to get a plan.';

/** What a fork pull request gets instead of a plan: said plainly, once per stack. */
export function renderForkSummary(stacks: readonly string[], context: RenderContext = {}): string {
  const list = stacks.map((stack) => `- \`${stack}\`: synthesized and validated offline, **not planned**`);
  const foot = footer(context);
  return [
    '### Terraform plan: not run',
    '',
    '> [!WARNING]',
    `> ${FORK_MESSAGE}`,
    '',
    ...list,
    ...(foot ? ['', foot] : []),
    '',
  ].join('\n');
}
