import { findTerraform } from '../../scripts/lib/find-terraform';
import { pluginDirFromEnv } from '../../scripts/lib/offline-plan';
import { findMotoServer, MOTO_INSTALL_HINT } from './moto-server';

export interface DeployTools {
  readonly terraform: string;
  readonly moto: string;
  readonly pluginDir: string;
}

/** What a deploy on moto needs from this machine, or why it cannot run here (each missing tool named). */
export function findDeployTools(): DeployTools | string {
  const terraform = findTerraform();
  const moto = findMotoServer();
  const pluginDir = pluginDirFromEnv();
  const missing = [
    terraform === undefined && 'terraform is not on PATH',
    pluginDir === undefined && 'TF_PLUGIN_DIR (an offline mirror of hashicorp/aws) is not set',
    moto === undefined && `moto_server is not on PATH. ${MOTO_INSTALL_HINT}`,
  ].filter(Boolean);
  return missing.length > 0
    ? missing.join('; ')
    : { terraform: terraform as string, moto: moto as string, pluginDir: pluginDir as string };
}
