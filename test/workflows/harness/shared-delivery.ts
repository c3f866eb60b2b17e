import { type Delivery, startDelivery } from './delivery-world';
import type { WorkflowRun } from './run-records';

/**
 * One delivery world (moto, the bootstrap, GitHub's stand-ins) for every scenario file of a mocha
 * run: the bootstrap is the slow part, and the scenarios need only what it creates, so they share
 * it. Each scenario uses its own pull-request numbers and branches, so none reads another's
 * comments or commits; where one needs a deployed dev (the replace warning), it asks for the push
 * to main through `devDeployedByPushToMain`, which runs that workflow once and reuses its run.
 */
let started: Promise<Delivery | string> | undefined;
let devDeploy: Promise<WorkflowRun> | undefined;

export async function useDelivery(context: Mocha.Context): Promise<Delivery> {
  started ??= startDelivery();
  const delivery = await started;
  if (typeof delivery === 'string') {
    if (process.env.REQUIRE_MOTO === '1') throw new Error(`REQUIRE_MOTO=1, but ${delivery}`);
    console.warn(`      skipped: ${delivery}`);
    context.skip();
  }
  return delivery;
}

/** The push to main that deploys dev (deploy.yml), run once per delivery world. */
export function devDeployedByPushToMain(delivery: Delivery): Promise<WorkflowRun> {
  const merge = delivery.world.push(
    'main',
    { 'docs/CHANGELOG-harness.md': '# Merged by the workflow harness\n' },
    'Merge a pull request into main',
  );
  devDeploy ??= delivery.world.run('deploy.yml', merge);
  return devDeploy;
}

// A root-level hook: mocha runs it once, after every file, whichever file loaded this module first.
after(async function () {
  this.timeout(120_000);
  const delivery = await started?.catch(() => undefined);
  if (delivery !== undefined && typeof delivery !== 'string') await delivery.stop();
});
