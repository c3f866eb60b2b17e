import { Construct } from 'constructs';
import {
  ApiGatewayAccount,
  AwsProvider,
  IamRole,
  IamRolePolicyAttachment,
  resetOnDelete,
} from '../toolchain';

export interface ApiGatewayLogsRoleProps {
  /** Name of the role API Gateway assumes to write logs. */
  readonly roleName: string;
  /** Regions whose API Gateway account setting points at the role: every region a stage logs in. */
  readonly regions: readonly string[];
  /** The AWS partition (`aws`, `aws-cn`, …), for the managed policy's ARN. */
  readonly partition: string;
}

/**
 * API Gateway's account-level CloudWatch Logs role, in each region the environments use. A REST API
 * stage refuses access logging until its region's account setting names such a role, so without it
 * the first deploy into a fresh account fails at the stage. It is a region-wide setting shared by
 * every API of the account, which is why it lives here, in the once-per-account stack.
 */
export class ApiGatewayLogsRole extends Construct {
  readonly role: IamRole;
  readonly accountSettings: ApiGatewayAccount[];

  constructor(scope: Construct, id: string, props: ApiGatewayLogsRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: 'API Gateway writes access and execution logs to CloudWatch Logs with this role',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    // The AWS managed policy API Gateway's documentation prescribes: it must reach log groups API
    // Gateway names itself (API-Gateway-Execution-Logs_<api id>/<stage>), so it cannot be scoped.
    const policy = new IamRolePolicyAttachment(this, 'push-to-cloudwatch-logs', {
      role: this.role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
    });

    this.accountSettings = props.regions.map((region) => {
      const provider = new AwsProvider(this, `aws-${region}`, { alias: region.replaceAll('-', '_'), region });
      const account = new ApiGatewayAccount(this, `account-${region}`, {
        provider,
        cloudwatchRoleArn: this.role.arn,
        // API Gateway checks that it can assume the role and that the role may write logs.
        dependsOn: [policy],
      });
      // Without it, destroying this stack would leave the setting naming a deleted role.
      resetOnDelete(account);
      return account;
    });
  }
}
