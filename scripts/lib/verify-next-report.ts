import type { ToolchainLane } from '#shared/toolchain';
import type { StackComparison } from './synth-diff';
import type { LaneReport } from './verify-lane';

/** Identical lines from several stacks, shown once with the stacks they occur in. */
export function groupDifferences(
  comparisons: readonly StackComparison[],
): { line: string; why?: string; stacks: string[] }[] {
  const byLine = new Map<string, { line: string; why?: string; stacks: string[] }>();
  for (const { stack, differences } of comparisons) {
    for (const { line, why } of differences) {
      const entry = byLine.get(line) ?? { line, why, stacks: [] };
      entry.stacks.push(stack);
      byLine.set(line, entry);
    }
  }
  return [...byLine.values()];
}

function addressSummary(comparisons: readonly StackComparison[]): string {
  return comparisons
    .map((c) => {
      const moved = c.addressesOnlyBefore.length + c.addressesOnlyAfter.length;
      return moved === 0
        ? `${c.stack} ${c.addressCount} unchanged`
        : `${c.stack} ${moved} of ${c.addressCount} CHANGED`;
    })
    .join(', ');
}

/** A lane's report as plain lines for the terminal. */
export function formatLaneReport(report: LaneReport, from: ToolchainLane): string {
  const { lock } = report;
  const lines = [
    `  scratch install: ${report.installedFresh ? 'installed now' : 'from the cache'}`,
    `  package-lock.json regenerated for the lane: ${lock.added.length} added, ${lock.removed.length} removed, ${lock.changed.length} changed (${lock.changed.slice(0, 4).join('; ')}${lock.changed.length > 4 ? '; …' : ''})`,
    `  steps: ${report.steps.map((s) => `${s.step} ${s.seconds.toFixed(0)} s`).join(', ')}`,
    ...report.functions.map(
      (f) => `  function ${f.address}: ${f.runtime} on ${JSON.stringify(f.architectures)}`,
    ),
    `  hashicorp/aws constraint: ${Object.entries(report.awsConstraints)
      .map(([s, v]) => `${s} ${v}`)
      .join(', ')}`,
    `  bundle: esbuild target ${report.bundle.target}; ${report.bundle.sameAsActiveLane ? `byte-identical to the ${from.esbuildTarget} build` : `differs from the ${from.esbuildTarget} build`} (sha256 ${report.bundle.sha256.slice(0, 12)})`,
    `  integration tests: ${'node' in report.integration ? `${report.integration.passed ? 'passed' : 'FAILED'} on Node ${report.integration.node}` : `not run again: ${report.integration.skipped}`}`,
    `  addresses of main.ts's stacks: ${addressSummary(report.stacks)}`,
    `  addresses of the pinned fixtures: ${addressSummary(report.fixtures)}`,
    '  every difference from the active lane (main.ts stacks and pinned fixtures):',
    ...groupDifferences([...report.stacks, ...report.fixtures]).map(
      (d) =>
        `    ${d.why ? '' : 'UNEXPECTED '}${d.line}  [${d.stacks.join(', ')}]${d.why ? ` (${d.why})` : ''}`,
    ),
    ...report.problems.map((p) => `  PROBLEM: ${p}`),
  ];
  return lines.join('\n');
}
