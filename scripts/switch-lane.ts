import { LANES, type LaneName } from '../shared/toolchain';
import { runWhenMain } from './lib/cli';
import { laneOf, switchLane } from './lib/lane-switch';
import { REPO_ROOT } from './lib/paths';

/**
 * `npx tsx scripts/switch-lane.ts <lane>`: moves this checkout to another toolchain lane
 * (shared/toolchain.ts). Then `npm install` regenerates package-lock.json and
 * `npm run lock:provider` the provider lock file; docs/upgrading.md has the whole switch.
 */
runWhenMain(
  module,
  () => {
    const to = process.argv[2];
    if (to === undefined || !(to in LANES)) {
      throw new Error(`usage: npx tsx scripts/switch-lane.ts <${Object.keys(LANES).join(' | ')}>`);
    }
    const from = laneOf(REPO_ROOT);
    const changed = switchLane(REPO_ROOT, to as LaneName);
    console.log(`${from} -> ${to}: changed ${changed.join(', ') || 'nothing'}`);
    console.log(
      'next: npm install --no-audit --no-fund && npm run lock:provider (needs the Terraform registry)',
    );
  },
  'switch-lane',
);
