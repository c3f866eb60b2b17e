import type { ActionStandIn } from './action-stand-in';
import { checkout } from './checkout';
import { configureAwsCredentials } from './configure-aws-credentials';
import { setupNode } from './setup-node';
import { setupTerraform } from './setup-terraform';
import { uploadArtifact } from './upload-artifact';

/** Every action this project's workflows use, by `owner/repo` (lower case, as `uses:` is matched). */
export const STAND_INS: ReadonlyMap<string, ActionStandIn> = new Map(
  [checkout, setupNode, setupTerraform, configureAwsCredentials, uploadArtifact].map((standIn) => [
    standIn.action.toLowerCase(),
    standIn,
  ]),
);
