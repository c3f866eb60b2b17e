import { GATEWAY_ASSUMPTIONS } from '#shared/gateway-assumptions';
import { formatCorsOrigins } from '#shared/response-policy';
import { type CaseResult, contradiction, type SmokeResult, type SmokeTarget } from './run-conformance';

/** How the smoke test tells its result: lines for the log, Markdown for the job summary. */

const MARK = { passed: '✔', failed: '✘', unreachable: '⚠', skipped: '-' } as const;

export function describeTarget({ baseUrl, profile }: SmokeTarget): string {
  const executeApi = profile.executeApi
    ? `${profile.executeApi.url} (${profile.executeApi.disabled ? 'turned off' : 'on'})`
    : 'same as the API URL';
  return [
    `API ${baseUrl}`,
    `CORS ${profile.cors === undefined ? 'off' : formatCorsOrigins(profile.cors)}`,
    `item id ${profile.itemId === undefined ? 'none (200 and 304 checks skipped)' : JSON.stringify(profile.itemId)}`,
    `item Cache-Control "${profile.itemCacheControl}"`,
    `execute-api URL ${executeApi}`,
    `access ${profile.access ?? 'public'}`,
  ].join('; ');
}

const requestOf = (r: CaseResult) => `${r.method} ${r.url.length > 100 ? `${r.url.slice(0, 100)}…` : r.url}`;

export function reportLines(result: SmokeResult): string[] {
  return result.results.map((r) => {
    const detail =
      r.outcome === 'passed' ? '' : ` — ${r.outcome === 'failed' ? contradiction(r) : r.problem}`;
    return `${MARK[r.outcome]} ${r.id}: ${r.title}${r.status === undefined ? '' : ` [${r.status}]`}${detail}`;
  });
}

/** One line for the end of the log: what went wrong, told apart by whether the API answered at all. */
export function verdict(result: SmokeResult): string {
  const failed = result.results.filter((r) => r.outcome === 'failed');
  const unreachable = result.results.filter((r) => r.outcome === 'unreachable');
  if (failed.length === 0 && unreachable.length === 0) return 'Smoke test passed.';
  const parts: string[] = [];
  if (failed.length > 0) {
    const assumptions = [...new Set(failed.map((r) => r.assumption))].join(', ');
    parts.push(`${failed.length} check(s) got answers that contradict assumptions (${assumptions})`);
  }
  if (unreachable.length > 0) {
    const causes = [...new Set(unreachable.map((r) => r.problem))].join('; ');
    parts.push(
      `${unreachable.length} check(s) could not reach the API, so they say nothing about it (${causes})`,
    );
  }
  return `Smoke test FAILED: ${parts.join('; ')}.`;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The job summary: every case, then each contradicted assumption with its claim and source. */
export function summaryMarkdown(target: SmokeTarget, result: SmokeResult): string {
  const icon = { passed: '✅', failed: '❌', unreachable: '⚠️', skipped: '➖' } as const;
  const rows = result.results.map((r) => {
    const assumption = GATEWAY_ASSUMPTIONS[r.assumption];
    const answer =
      r.outcome === 'passed' ? String(r.status) : `${r.status ?? 'no answer'}: ${r.problem ?? ''}`;
    return `| ${icon[r.outcome]} | ${cell(r.title)} | \`${cell(requestOf(r))}\` | ${cell(answer)} | \`${r.assumption}\` (${assumption.status}) |`; // biome-ignore format: long line
  });
  const failed = result.results.filter((r) => r.outcome === 'failed');
  const contradicted = [...new Set(failed.map((r) => r.assumption))].map((id) => {
    const assumption = GATEWAY_ASSUMPTIONS[id];
    const cases = failed
      .filter((r) => r.assumption === id)
      .map((r) => `\`${r.id}\`: ${cell(r.problem ?? '')}`);
    return `- **${id}** (${assumption.status}): ${assumption.claim}\n  Sources: ${assumption.sources.join('; ')}\n  ${cases.join('\n  ')}`; // biome-ignore format: long line
  });
  return [
    `## Conformance smoke test: ${result.ok ? 'passed' : 'FAILED'}`,
    '',
    describeTarget(target),
    '',
    '| | Check | Request | Answer | Assumption |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(contradicted.length > 0
      ? [
          '### Contradicted assumptions',
          '',
          'The live stage answered otherwise than the local stack assumes: fix the emulator (local/) and docs/api-gateway-assumptions.md, or the infrastructure.', // biome-ignore format: long line
          '',
          ...contradicted,
          '',
        ]
      : []),
    verdict(result),
    '',
  ].join('\n');
}
