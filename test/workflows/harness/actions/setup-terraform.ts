import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeTerraformCliConfig } from '../../../deploy/emulated-aws';
import { ActionFailure, type ActionRun, type ActionStandIn, addPath, booleanInput } from './action-stand-in';

/**
 * Stands in for hashicorp/setup-terraform (v3): puts Terraform on PATH (only 1.11.4 reaches this
 * machine, so another `terraform_version` fails the step) and writes ~/.terraformrc, as the real
 * action does; here that file installs hashicorp/aws from the offline mirror instead of the
 * registry. With `terraform_wrapper` (the default), `terraform` is the action's wrapper: it prints
 * its own `[command]…` line before Terraform's output and sets the step outputs stdout, stderr and
 * exitcode; `terraform_wrapper: false` puts the plain binary on PATH.
 *
 * What it cannot show: a download from releases.hashicorp.com or the registry, and Terraform Cloud
 * credentials (cli_config_credentials_token is not modelled).
 */
function installedVersion(binary: string): string {
  const json = JSON.parse(
    execFileSync(binary, ['version', '-json'], { encoding: 'utf8', env: { CHECKPOINT_DISABLE: '1' } }),
  );
  return json.terraform_version as string;
}

const WRAPPER = `#!/usr/bin/env bash
# hashicorp/setup-terraform's wrapper, as it behaves: its own command line first, then Terraform's
# output, then stdout, stderr and exitcode as step outputs.
bin="$(dirname "$0")/terraform-bin"
echo "[command]$bin $*"
out=$(mktemp) err=$(mktemp)
"$bin" "$@" > >(tee "$out") 2> >(tee "$err" >&2)
code=$?
wait
if [ -n "\${GITHUB_OUTPUT:-}" ]; then
  for name in stdout stderr; do
    file=$out; [ "$name" = stderr ] && file=$err
    d="ghadelimiter_$RANDOM$RANDOM"
    { echo "$name<<$d"; cat "$file"; echo; echo "$d"; } >> "$GITHUB_OUTPUT"
  done
  echo "exitcode=$code" >> "$GITHUB_OUTPUT"
fi
rm -f "$out" "$err"
exit $code
`;

export const setupTerraform: ActionStandIn = {
  action: 'hashicorp/setup-terraform',
  inputs: {
    cli_config_credentials_hostname: 'app.terraform.io',
    cli_config_credentials_token: undefined,
    terraform_version: 'latest',
    terraform_wrapper: 'true',
  },
  async run(run: ActionRun) {
    const { binary, pluginDir } = run.services.terraform;
    const available = installedVersion(binary);
    const wanted = run.inputs.terraform_version ?? 'latest';
    if (wanted !== available && wanted !== 'latest') {
      throw new ActionFailure(`Terraform ${wanted} is not available on this machine (only ${available})`);
    }
    if (run.inputs.cli_config_credentials_token) {
      throw new ActionFailure('the stand-in does not model Terraform Cloud credentials');
    }
    const bin = path.join(run.job.toolCache, 'terraform', available, 'x64');
    mkdirSync(bin, { recursive: true });
    if (booleanInput(run, 'terraform_wrapper')) {
      symlinkSync(binary, path.join(bin, 'terraform-bin'));
      writeFileSync(path.join(bin, 'terraform'), WRAPPER);
      chmodSync(path.join(bin, 'terraform'), 0o755);
    } else {
      symlinkSync(binary, path.join(bin, 'terraform'));
    }
    const config = writeTerraformCliConfig(pluginDir);
    copyFileSync(config, path.join(run.job.home, '.terraformrc'));
    rmSync(path.dirname(config), { recursive: true, force: true });
    addPath(run, bin);
    run.log(
      `Terraform ${available} on PATH${booleanInput(run, 'terraform_wrapper') ? ' (with the wrapper)' : ''}`,
    );
  },
};
