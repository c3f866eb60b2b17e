import {
  DataAwsIamPolicyDocument,
  IamRole,
  IamRolePolicy,
  type DataAwsIamPolicyDocumentStatement as Statement,
  type TerraformStack,
} from '../toolchain';
import { githubTrust } from './trust';

export interface CiRoleOptions {
  /** `plan` or `deploy`: the prefix of the role's resource ids, which are its Terraform addresses. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** GitHub OIDC subjects that may assume the role. */
  readonly subjects: readonly string[];
  readonly statements: Statement[];
  readonly oidcProviderArn: string;
}

/** A role GitHub Actions assumes through OIDC, with its permissions inline. */
export function addCiRole(stack: TerraformStack, options: CiRoleOptions): IamRole {
  const { id } = options;
  const role = new IamRole(stack, `${id}-role`, {
    name: options.name,
    description: options.description,
    assumeRolePolicy: new DataAwsIamPolicyDocument(stack, `${id}-trust`, {
      statement: githubTrust(options.oidcProviderArn, options.subjects),
    }).json,
    // A job gets a fresh session per run; an hour covers the slowest plan or deploy.
    maxSessionDuration: 3600,
  });
  new IamRolePolicy(stack, `${id}-policy`, {
    name: `${options.name}-permissions`,
    role: role.id,
    policy: new DataAwsIamPolicyDocument(stack, `${id}-permissions`, { statement: options.statements }).json,
  });
  return role;
}
