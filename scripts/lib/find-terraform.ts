import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { Env } from './run-terraform';

export const TERRAFORM_INSTALL_HINT =
  'Install Terraform 1.11 or later (https://developer.hashicorp.com/terraform/install, or ' +
  '`brew install hashicorp/tap/terraform`) and put it on PATH, or set TERRAFORM_BIN.';

/** The terraform binary: TERRAFORM_BIN, else the first `terraform` on PATH, else undefined. */
export function findTerraform(env: Env = process.env): string | undefined {
  const explicit = env.TERRAFORM_BIN?.trim();
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  const names = process.platform === 'win32' ? ['terraform.exe'] : ['terraform'];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (dir && isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
