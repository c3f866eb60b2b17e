import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../support/repo-root';

/**
 * Module specifiers of the CDK and its provider bindings, in either name (cdktf, CDK Terrain), in
 * `from`, `import` and `require` forms. Only where no quote precedes them on the line, so an import
 * written inside a string (as in the tests) is not one.
 */
const CDK_SPECIFIER =
  /^[^'"`\n]*\b(?:from|require\s*\(|import\s*\(?)\s*['"]((?:@cdkt[fn]\/[^'"]+)|(?:cdkt[fn](?:\/[^'"]*)?))['"]/gm;

/** The CDK modules a source file imports. */
function cdkImports(source: string): string[] {
  return [...source.matchAll(CDK_SPECIFIER)].map((m) => m[1] as string);
}

const SOURCE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
  cwd: REPO_ROOT,
  encoding: 'utf8',
})
  .split('\0')
  .filter((f) => SOURCE.test(f) && existsSync(path.join(REPO_ROOT, f)));

describe('the CDK and the bindings are imported through infra/toolchain.ts only', () => {
  it('finds imports in every form the project writes them (the scan below is not vacuous)', () => {
    const sample = [
      "import { App } from 'cdktf';",
      "export { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';",
      'import type { Construct } from "cdktn";',
      "const aws = require('@cdktn/provider-aws');",
      "const lazy = await import('cdktf/lib/app');",
      "import 'cdktf';",
    ].join('\n');
    expect(cdkImports(sample)).to.deep.equal([
      'cdktf',
      '@cdktf/provider-aws/lib/lambda-function',
      'cdktn',
      '@cdktn/provider-aws',
      'cdktf/lib/app',
      'cdktf',
    ]);
    expect(
      cdkImports("import { Construct } from 'constructs'; // cdktf is mentioned, not imported"),
    ).to.deep.equal([]);
    expect(cdkImports(readFileSync(path.join(REPO_ROOT, 'infra', 'toolchain.ts'), 'utf8'))).to.include(
      'cdktf',
    );
  });

  it('no other source file imports cdktf, cdktn, @cdktf/* or @cdktn/*', () => {
    expect(files.length).to.be.greaterThan(100);
    const offenders = files
      .filter((f) => f !== 'infra/toolchain.ts')
      .flatMap((f) => cdkImports(readFileSync(path.join(REPO_ROOT, f), 'utf8')).map((s) => `${f}: ${s}`));
    expect(offenders).to.deep.equal([]);
  });
});
