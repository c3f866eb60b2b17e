// biome-ignore-all lint/suspicious/noTemplateCurlyInString: GitHub expressions are literal ${{ ... }} strings in workflow YAML.
import { expect } from 'chai';
import { allSteps, type Job, loadWorkflow, loadWorkflows, type Step } from './workflow-files';

const SHA_PINNED = /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*v\d+\.\d+\.\d+\s*$/;
/** Permissions a job may hold, and only these jobs (`workflow:job`). */
const ELEVATED: Record<string, readonly string[]> = {
  'id-token': ['plan.yml:plan', 'deploy.yml:dev', 'deploy.yml:prod', 'deploy-stage.yml:deploy'],
  'pull-requests': ['plan.yml:plan'],
};

const workflows = loadWorkflows();
const stepsUsing = (prefix: string) =>
  workflows.flatMap((w) =>
    allSteps(w)
      .filter(({ step }) => step.uses?.startsWith(prefix))
      .map(({ job, step }) => ({ where: `${w.file}:${job}`, step })),
  );
const jobs = workflows.flatMap((w) =>
  Object.entries(w.jobs).map(([name, job]) => ({ where: `${w.file}:${name}`, job })),
);

describe('workflow policy', () => {
  describe('third-party actions', () => {
    const uses = workflows.flatMap((w) =>
      allSteps(w)
        .filter(({ step }) => step.uses !== undefined && !step.uses.startsWith('./'))
        .map(({ job, step }) => ({ where: `${w.file}:${job}`, uses: step.uses as string, source: w.source })),
    );

    it('are used at all (the checks below are not vacuous)', () => {
      expect(uses.length).to.be.greaterThan(10);
    });

    for (const { where, uses: ref, source } of uses) {
      it(`${where}: ${ref} is pinned to a commit SHA with its version in a comment`, () => {
        expect(ref).to.match(SHA_PINNED);
        const lines = source.split('\n').filter((line) => line.includes(ref));
        expect(lines).to.not.be.empty;
        for (const line of lines) expect(line).to.match(VERSION_COMMENT);
      });
    }

    it('name the same version for the same SHA everywhere', () => {
      const versions = new Map<string, Set<string>>();
      for (const { source } of workflows) {
        for (const [, sha, version] of source.matchAll(/@([0-9a-f]{40})\s*#\s*(v[\d.]+)/g)) {
          versions.set(sha as string, (versions.get(sha as string) ?? new Set()).add(version as string));
        }
      }
      for (const [sha, names] of versions) expect([...names], sha).to.have.length(1);
    });
  });

  describe('permissions', () => {
    for (const { file, permissions } of workflows) {
      it(`${file} grants only contents: read at the top level`, () => {
        expect(permissions).to.deep.equal({ contents: 'read' });
      });
    }

    for (const [permission, allowed] of Object.entries(ELEVATED)) {
      it(`grants ${permission}: write only to ${allowed.join(', ')}`, () => {
        const holders = jobs
          .filter(({ job }) => typeof job.permissions === 'object' && job.permissions[permission] === 'write')
          .map(({ where }) => where);
        expect(holders.sort()).to.deep.equal([...allowed].sort());
      });
    }

    it('never grants write-all or a write permission beyond those', () => {
      for (const { where, job } of jobs) {
        expect(job.permissions, where).to.not.be.a('string');
        for (const [name, level] of Object.entries(job.permissions ?? {})) {
          if (level === 'write') expect(ELEVATED[name], `${where} ${name}`).to.not.equal(undefined);
        }
      }
    });
  });

  it('reads no variable whose name starts with GITHUB_, which GitHub refuses to store', () => {
    for (const { file, source } of workflows) {
      expect(source.match(/\bvars\.GITHUB_\w*/gi) ?? [], file).to.deep.equal([]);
    }
  });

  it('no workflow runs on pull_request_target', () => {
    for (const { file, on, source } of workflows) {
      expect(Object.keys(on), file).to.not.include('pull_request_target');
      expect(source, file).to.not.match(/^\s*pull_request_target\s*:/m);
    }
  });

  describe('terraform', () => {
    const setups = stepsUsing('hashicorp/setup-terraform@');

    it('is installed wherever a job runs terraform', () => {
      const needing = jobs.filter(({ job }) =>
        (job.steps ?? []).some((s) => /\bterraform\b|npm run (synth|plan)|npm test/.test(s.run ?? '')),
      );
      expect(needing).to.not.be.empty;
      for (const { where, job } of needing) {
        expect(
          (job.steps ?? []).some((s) => s.uses?.startsWith('hashicorp/setup-terraform@')),
          where,
        ).to.equal(true);
      }
    });

    for (const { where, step } of setups) {
      // The next toolchain lane's job (docs/upgrading.md) runs the Terraform that lane is proven on.
      const version = where.startsWith('next-lane.yml:') ? '1.16' : '1.11';
      it(`${where}: ${version}.x with the wrapper off (cdktf parses terraform output)`, () => {
        expect(step.with?.terraform_wrapper).to.equal(false);
        expect(String(step.with?.terraform_version)).to.match(
          new RegExp(`^${version.replace('.', '\\.')}\\.\\d+$`),
        );
      });
    }
  });

  describe('AWS credentials', () => {
    const configures = stepsUsing('aws-actions/configure-aws-credentials@');

    it('come from OIDC in the plan and deploy jobs', () => {
      expect(configures.map(({ where }) => where).sort()).to.deep.equal(
        ['deploy-stage.yml:deploy', 'plan.yml:plan'].sort(),
      );
    });

    const expectedRole: Record<string, string> = {
      'plan.yml:plan': '${{ vars.AWS_PLAN_ROLE_ARN }}',
      'deploy-stage.yml:deploy': '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
    };
    for (const { where, step } of configures) {
      it(`${where} assumes ${expectedRole[where]} in vars.AWS_REGION`, () => {
        expect(step.with?.['role-to-assume']).to.equal(expectedRole[where]);
        expect(step.with?.['aws-region']).to.equal('${{ vars.AWS_REGION }}');
      });
    }

    it('never use long-lived keys', () => {
      for (const { file, source } of workflows) {
        expect(source, file).to.not.match(
          /aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|secrets\.AWS/i,
        );
      }
    });
  });

  describe('plan on pull request', () => {
    const plan = loadWorkflow('plan.yml');
    const planJob = plan.jobs.plan as Job;
    const forkJob = plan.jobs['fork-validate'] as Job;
    const runs = (job: Job) => (job.steps ?? []).map((s: Step) => s.run ?? '').join('\n');

    it('runs on pull_request', () => {
      expect(Object.keys(plan.on)).to.deep.equal(['pull_request']);
    });

    it('plans only same-repository branches and sends forks to the offline job', () => {
      expect(planJob.if).to.equal('github.event.pull_request.head.repo.full_name == github.repository');
      expect(forkJob.if).to.equal('github.event.pull_request.head.repo.full_name != github.repository');
    });

    it('plans against the real backend, with no offline provider mirror', () => {
      expect(runs(planJob)).to.match(/npm run plan\b/);
      expect(JSON.stringify(planJob)).to.not.include('TF_PLUGIN_DIR');
    });

    it('never takes the state lock, so a cancelled run cannot block a deploy', () => {
      const planCommands = runs(planJob)
        .split('\n')
        .filter((line) => /npm run plan\b/.test(line));
      expect(planCommands).to.have.length.greaterThan(0);
      for (const command of planCommands) expect(command).to.include('--no-lock');
    });

    it('plans the bootstrap with the choices it was deployed with', () => {
      const env = (planJob as { env?: Record<string, string> }).env ?? {};
      expect(env).to.include({
        BOOTSTRAP_REMOTE_STATE: '1',
        BOOTSTRAP_OIDC_PROVIDER_ARN: "${{ vars.BOOTSTRAP_OIDC_PROVIDER_ARN || '' }}",
        BOOTSTRAP_APIGATEWAY_LOGS_ROLE: "${{ vars.BOOTSTRAP_APIGATEWAY_LOGS_ROLE || '' }}",
        BOOTSTRAP_SHARED_DEPLOY_ROLE: "${{ vars.BOOTSTRAP_SHARED_DEPLOY_ROLE || '' }}",
      });
    });

    it('comments, exposes has-changes and uploads the plan files', () => {
      expect(runs(planJob)).to.include('npm run pr-comment');
      expect(planJob.outputs?.['has-changes']).to.equal('${{ steps.comment.outputs.has-changes }}');
      const upload = (planJob.steps ?? []).find((s) => s.uses?.startsWith('actions/upload-artifact@'));
      expect(upload?.with?.path).to.equal('cdktf.out/plans/');
    });

    it('on forks validates offline and says it could not plan', () => {
      expect(runs(forkJob)).to.match(/init -backend=false/);
      expect(runs(forkJob)).to.match(/terraform -chdir="\$dir" validate/);
      expect(runs(forkJob)).to.include('npm run pr-comment -- --fork');
    });
  });

  describe('deploy', () => {
    const deploy = loadWorkflow('deploy.yml');
    const stage = loadWorkflow('deploy-stage.yml');
    const job = stage.jobs.deploy as Job & { env?: Record<string, string> };
    const runs = (job.steps ?? []).map((s) => s.run ?? '').join('\n');
    const cases = [
      { caller: 'dev', trigger: "github.event_name == 'push'" },
      { caller: 'prod', trigger: "github.event_name == 'workflow_dispatch'" },
    ];

    it('deploys on push to main, by hand, and on a published release', () => {
      expect(deploy.on.push).to.deep.equal({ branches: ['main'] });
      expect(deploy.on).to.have.property('workflow_dispatch');
      expect(deploy.on.release).to.deep.equal({ types: ['published'] });
    });

    for (const { caller, trigger } of cases) {
      it(`${caller}: runs the reusable stage workflow for ${caller}, on ${trigger}`, () => {
        const definition = deploy.jobs[caller] as Job & { uses?: string; with?: Record<string, unknown> };
        expect(definition.if).to.include(trigger);
        expect(definition.uses).to.equal('./.github/workflows/deploy-stage.yml');
        expect(definition.with).to.deep.equal({ stage: caller });
      });
    }

    it('the stage workflow is only called, with the stage as its one input', () => {
      expect(Object.keys(stage.on)).to.deep.equal(['workflow_call']);
      const inputs = (
        stage.on.workflow_call as { inputs: Record<string, { required: boolean; type: string }> }
      ).inputs;
      expect(inputs).to.have.all.keys('stage');
      expect(inputs.stage).to.include({ required: true, type: 'string' });
    });

    it('runs in the GitHub Environment of the stage, whose reviewers and variables apply', () => {
      expect(job.environment).to.equal('${{ inputs.stage }}');
      expect(job.env?.STACK).to.equal('${{ inputs.stage }}');
    });

    it('holds one concurrency group per stage and never cancels a running deploy', () => {
      expect(job.concurrency).to.deep.equal({
        group: 'deploy-${{ inputs.stage }}',
        'cancel-in-progress': false,
      });
    });

    it('waits for a state lock held by someone else, in the plan and in the apply', () => {
      expect(runs).to.include('npm run plan -- --lock-timeout=10m "$STACK"');
      expect(runs).to.match(/terraform -chdir=\S+ apply -input=false -no-color -lock-timeout=10m /);
    });

    it('applies the plan it saved, then smoke-tests the outputs', () => {
      const apply = runs.indexOf('apply -input=false');
      expect(runs.indexOf('npm run plan -- --lock-timeout=10m "$STACK"')).to.be.within(0, apply);
      expect(runs).to.include('cdktf.out/plans/$STACK.tfplan');
      expect(runs.indexOf('npm run smoke')).to.be.greaterThan(apply);
    });

    it('deploys prod only from main or a tag', () => {
      expect((deploy.jobs.prod as Job).if).to.include("github.ref == 'refs/heads/main'");
      expect((deploy.jobs.prod as Job).if).to.include("startsWith(github.ref, 'refs/tags/')");
    });
  });

  it("CI runs lint, typecheck, tests (the browser test on the runner's Chrome), build and synth on Node 22 with the npm cache", () => {
    const ci = loadWorkflow('ci.yml');
    const steps = allSteps(ci).map(({ step }) => step);
    const runs = steps.map((s) => s.run ?? '');
    for (const command of [
      'npm ci',
      'npm run lint',
      'npm run lint:workflows',
      'npm run typecheck',
      'npm test',
      'npm run build',
      'npm run synth',
    ]) {
      expect(runs, command).to.include(command);
    }
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(node?.with).to.deep.include({ 'node-version': 22, cache: 'npm' });
    const test = steps.find((s) => s.run === 'npm test');
    expect(test?.env).to.include({ REQUIRE_TERRAFORM: '1', REQUIRE_MOTO: '1', REQUIRE_BROWSER: '1' });
    const chrome = runs.findIndex(
      (run) => /command -v google-chrome/.test(run) && /CHROMIUM_PATH=.*GITHUB_ENV/.test(run),
    );
    expect(chrome, "the runner's Chrome named by CHROMIUM_PATH before npm test").to.be.within(
      0,
      runs.indexOf('npm test'),
    );
    const moto = runs.findIndex((run) => /pip"? install .*"moto\[server\]==\d+\.\d+\.\d+"/.test(run));
    expect(moto, 'moto installed, pinned, before npm test').to.be.within(0, runs.indexOf('npm test'));
    expect(Object.keys(ci.on).sort()).to.deep.equal(['pull_request', 'push']);
  });
});
