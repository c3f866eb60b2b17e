import { tsImport } from 'tsx/esm/api';

/**
 * GitHub's own workflow tooling: `@actions/workflow-parser` (what GitHub's editor tooling parses and
 * validates workflows with) and `@actions/expressions` (its `${{ }}` evaluator). Both ship as ES
 * modules only, so they are imported once, asynchronously, before a run; everything after that
 * uses them synchronously through `githubTooling()`. The parser imports its JSON schemas without
 * an import attribute, which Node's own loader refuses, so the import goes through tsx's loader.
 */
export type WorkflowParserModule = typeof import('@actions/workflow-parser');
export type ExpressionsModule = typeof import('@actions/expressions');

export interface GitHubTooling {
  readonly parser: WorkflowParserModule;
  readonly expressions: ExpressionsModule;
}

let loaded: GitHubTooling | undefined;

export async function loadGitHubTooling(): Promise<GitHubTooling> {
  loaded ??= {
    parser: (await tsImport('@actions/workflow-parser', __filename)) as WorkflowParserModule,
    expressions: (await tsImport('@actions/expressions', __filename)) as ExpressionsModule,
  };
  return loaded;
}

export function githubTooling(): GitHubTooling {
  if (loaded === undefined) throw new Error('call loadGitHubTooling() before running a workflow');
  return loaded;
}
