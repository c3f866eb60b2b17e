// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow YAML holds literal ${{ }} expressions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { STAND_INS } from './harness/actions/registry';
import { describeRun, jobOf, stepOf, type WorkflowRun } from './harness/run-records';
import { WorkflowWorld } from './harness/workflow-world';
import { allSteps, loadWorkflows } from './workflow-files';

/**
 * The harness's runner against small workflows written for it: each test pins one rule of
 * GitHub's runner that the delivery scenarios rely on, so a scenario that passes does so for the
 * right reason. No AWS, no npm: these run in seconds.
 */
const SEMANTICS = `
name: Semantics
on:
  push:
    branches: [semantics]
permissions:
  contents: read
env:
  LAYER: workflow
  ONLY_WORKFLOW: w
jobs:
  first:
    runs-on: ubuntu-latest
    env:
      LAYER: job
    outputs:
      greeting: \${{ steps.say.outputs.greeting }}
      multi: \${{ steps.say.outputs.multi }}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - id: say
        run: |
          echo "greeting=hello \${{ github.event_name }}" >> "$GITHUB_OUTPUT"
          { echo "multi<<EOF"; echo "line one"; echo "line two"; echo "EOF"; } >> "$GITHUB_OUTPUT"
          echo "LAYER=exported" >> "$GITHUB_ENV"
          echo "GITHUB_SHA=forged" >> "$GITHUB_ENV"
          mkdir -p "$RUNNER_TEMP/bin" && printf '#!/bin/sh\\necho from-added-path\\n' > "$RUNNER_TEMP/bin/added-tool"
          chmod +x "$RUNNER_TEMP/bin/added-tool" && echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"
          echo "## summary line" >> "$GITHUB_STEP_SUMMARY"
      - name: Layers
        run: echo "layer=$LAYER only=$ONLY_WORKFLOW sha-forged=$([ "$GITHUB_SHA" = forged ] && echo yes || echo no) tool=$(added-tool)"
      - name: Step env wins
        env:
          LAYER: step
        run: echo "layer=$LAYER"
      - name: Quotes and indentation
        run: |
          echo 'it''s' "\${{ github.ref_name }}" '{braces}'
            echo "indented"
      - name: Working directory
        working-directory: sub
        run: pwd
      - name: Pipefail
        id: pipefail
        continue-on-error: true
        run: false | true
      - name: After a tolerated failure
        run: echo "outcome=\${{ steps.pipefail.outcome }} conclusion=\${{ steps.pipefail.conclusion }}"
      - name: Errexit
        run: |
          false
          echo "not reached"
      - name: Skipped after the failure
        run: echo "should not run"
      - name: Runs on failure
        if: failure()
        run: echo "failure() is true"
      - name: Runs always
        if: always()
        run: echo "always() is true; OIDC=\${ACTIONS_ID_TOKEN_REQUEST_URL:-none}"
  second:
    needs: first
    runs-on: ubuntu-latest
    steps:
      - run: echo "never"
  third:
    needs: first
    if: always()
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - run: echo "needs=\${{ needs.first.result }} greeting=\${{ needs.first.outputs.greeting }} oidc=\${ACTIONS_ID_TOKEN_REQUEST_URL:+set}"
`;

describe('workflow harness: the runner rules the scenarios rely on', function () {
  this.timeout(120_000);
  let world: WorkflowWorld;
  let run: WorkflowRun;

  before(async () => {
    world = await WorkflowWorld.create({ pluginDir: '' });
    run = await world.run(
      'semantics.yml',
      world.push(
        'semantics',
        { '.github/workflows/semantics.yml': SEMANTICS, 'sub/.keep': '' },
        'A workflow for the runner tests',
      ),
    );
  });
  after(async () => world?.stop());

  const log = (job: string, step: string | RegExp) => stepOf(jobOf(run, job), step).log;

  it('passes outputs through GITHUB_OUTPUT, heredoc included, to job outputs and needs', () => {
    expect(jobOf(run, 'first').outputs, describeRun(run)).to.deep.equal({
      greeting: 'hello push',
      multi: 'line one\nline two',
    });
    expect(log('third', /needs=/)).to.include('needs=failure greeting=hello push');
  });

  it('layers env workflow < job < GITHUB_ENV < step, and never lets a workflow forge GITHUB_SHA', () => {
    expect(log('first', 'Layers')).to.include('layer=exported only=w sha-forged=no tool=from-added-path');
    expect(log('first', 'Step env wins')).to.include('layer=step');
  });

  it('runs a block with an expression as its decoded text: every quote, the indentation as written', () => {
    const step = stepOf(jobOf(run, 'first'), 'Quotes and indentation');
    expect(step.run).to.equal(`echo 'it''s' "semantics" '{braces}'\n  echo "indented"\n`);
    expect(step.log).to.equal('its semantics {braces}\nindented\n');
  });

  it('checks out the pushed commit, and leaves no token in .git/config with persist-credentials: false', () => {
    const job = jobOf(run, 'first');
    expect(stepOf(job, /actions\/checkout/).log).to.include(`HEAD is now at ${run.event.sha}`);
    expect(readFileSync(path.join(job.workspace as string, '.git', 'config'), 'utf8')).not.to.include(
      'AUTHORIZATION',
    );
  });

  it('runs in working-directory, relative to the workspace', () => {
    expect(log('first', 'Working directory').trim()).to.match(/\/work\/item-api\/item-api\/sub$/);
  });

  it('runs bash with -e and -o pipefail; continue-on-error keeps the job going with outcome failure', () => {
    const job = jobOf(run, 'first');
    expect(stepOf(job, 'Pipefail')).to.include({ outcome: 'failure', conclusion: 'success' });
    expect(log('first', 'After a tolerated failure')).to.include('outcome=failure conclusion=success');
    expect(stepOf(job, 'Errexit').outcome).to.equal('failure');
    expect(log('first', 'Errexit')).not.to.include('not reached');
  });

  it('after a failed step skips the rest, but runs failure() and always() steps', () => {
    const job = jobOf(run, 'first');
    expect(job.result).to.equal('failure');
    expect(stepOf(job, 'Skipped after the failure').conclusion).to.equal('skipped');
    expect(stepOf(job, 'Runs on failure').conclusion).to.equal('success');
    expect(log('first', 'Runs always')).to.include('always() is true; OIDC=none');
  });

  it('skips a job whose need failed, unless its if: says always()', () => {
    expect(jobOf(run, 'second')).to.include({ result: 'skipped' });
    expect(jobOf(run, 'third').result).to.equal('success');
  });

  it('gives an OIDC request URL only to a job with id-token: write', () => {
    expect(log('third', /needs=/)).to.include('oidc=set');
  });

  it('collects GITHUB_STEP_SUMMARY into the job summary', () => {
    expect(jobOf(run, 'first').summary).to.include('## summary line');
  });

  it('does not run a workflow whose on: does not match the event', async () => {
    const other = await world.run(
      'semantics.yml',
      world.push('elsewhere', { 'x.txt': 'x' }, 'Another branch'),
    );
    expect(other.triggered).to.equal(false);
  });

  it('has a stand-in for every action the workflow files use, ci.yml included', () => {
    const actions = loadWorkflows().flatMap((w) =>
      allSteps(w).flatMap(({ step }) =>
        step.uses && !step.uses.startsWith('./') ? [step.uses.split('@')[0]] : [],
      ),
    );
    expect(actions.length).to.be.greaterThan(10);
    expect(actions.filter((action) => !STAND_INS.has(String(action).toLowerCase()))).to.deep.equal([]);
  });
});
