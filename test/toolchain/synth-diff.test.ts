import { expect } from 'chai';
import { LANES } from '#shared/toolchain';
import { meetsEngine } from '../../scripts/lib/lane-steps';
import {
  addresses,
  compareStacks,
  comparisonProblems,
  expectedDifferences,
  type StackJson,
} from '../../scripts/lib/synth-diff';

const aws5 = LANES['nodejs22-aws5'];
const aws6 = LANES['nodejs24-aws6'];
const terrain = LANES['nodejs24-aws6-cdktn'];

function stack(
  overrides: { runtime?: string; aws?: string; reset?: boolean; extra?: string } = {},
): StackJson {
  return {
    '//': { metadata: { version: '0.21.0' } },
    terraform: { required_providers: { aws: { source: 'aws', version: overrides.aws ?? '5.100.0' } } },
    data: { aws_partition: { partition: {} } },
    resource: {
      aws_lambda_function: {
        fn_1: {
          runtime: overrides.runtime ?? 'nodejs22.x',
          source_code_hash: '0123456789ABCDEF0123456789ABCDEF',
        },
      },
      aws_api_gateway_account: { account: overrides.reset === false ? {} : { reset_on_delete: true } },
      ...(overrides.extra ? { aws_sns_topic: { [overrides.extra]: {} } } : {}),
    },
  };
}

const compare = (after: StackJson, to = aws6) =>
  compareStacks('dev', stack(), after, expectedDifferences(aws5, to));

describe("comparing a lane's synthesized stacks with the active lane's (scripts/lib/synth-diff.ts)", () => {
  it('lists resource and data source addresses', () => {
    expect(addresses(stack())).to.deep.equal([
      'aws_api_gateway_account.account',
      'aws_lambda_function.fn_1',
      'data.aws_partition.partition',
    ]);
  });

  it('accepts the differences the move means, each with its reason', () => {
    const comparison = compare(stack({ runtime: 'nodejs24.x', aws: '6.25.0', reset: false }));
    expect(comparisonProblems(comparison)).to.deep.equal([]);
    expect(comparison.differences.map((d) => d.line)).to.deep.equal([
      'resource.aws_api_gateway_account.account.reset_on_delete: true -> (none)',
      'resource.aws_lambda_function.fn_1.runtime: "nodejs22.x" -> "nodejs24.x"',
      'terraform.required_providers.aws.version: "5.100.0" -> "6.25.0"',
    ]);
    expect(comparison.differences.every((d) => d.why !== undefined)).to.equal(true);
  });

  const broken: [string, StackJson, RegExp][] = [
    [
      'a runtime other than the lane names',
      stack({ runtime: 'nodejs20.x', aws: '6.25.0', reset: false }),
      /unexpected .*runtime/,
    ],
    [
      'a provider version other than the lane names',
      stack({ runtime: 'nodejs24.x', aws: '6.0.0', reset: false }),
      /unexpected .*aws\.version/,
    ],
    [
      'a new resource',
      stack({ runtime: 'nodejs24.x', aws: '6.25.0', reset: false, extra: 'alarms' }),
      /aws_sns_topic\.alarms is new/,
    ],
  ];
  for (const [title, after, problem] of broken) {
    it(`reports ${title}`, () => {
      expect(comparisonProblems(compare(after)).join('\n')).to.match(problem);
    });
  }

  it('reports a moved address as gone, since state would drop or replace it', () => {
    const after = stack({ runtime: 'nodejs24.x', aws: '6.25.0', reset: false });
    const resources = after.resource as Record<string, Record<string, unknown>>;
    resources.aws_lambda_function = { fn_2: resources.aws_lambda_function?.fn_1 };
    expect(comparisonProblems(compare(after))).to.include(
      'dev: aws_lambda_function.fn_1 is gone (state would drop or replace it)',
    );
  });

  it("ignores the bundle's content hash, which every build changes", () => {
    const after = stack({ runtime: 'nodejs22.x' });
    const functions = (after.resource as Record<string, Record<string, Record<string, unknown>>>)
      .aws_lambda_function;
    if (functions?.fn_1) functions.fn_1.source_code_hash = 'FEDCBA9876543210FEDCBA9876543210';
    expect(compare(after).differences).to.deep.equal([]);
  });

  it("expects cdktf's record of the reset_on_delete override to go only when leaving aws 5", () => {
    const line = '//.metadata.overrides.aws_api_gateway_account: ["reset_on_delete"] -> (none)';
    expect(expectedDifferences(aws5, aws6).some((r) => r.pattern.test(line))).to.equal(true);
    expect(expectedDifferences(aws6, terrain).some((r) => r.pattern.test(line))).to.equal(false);
  });

  it('expects the provider source written in full only on a lane with another CDK', () => {
    const line = 'terraform.required_providers.aws.source: "aws" -> "hashicorp/aws"';
    expect(expectedDifferences(aws5, terrain).some((r) => r.pattern.test(line))).to.equal(true);
    expect(expectedDifferences(aws5, aws6).some((r) => r.pattern.test(line))).to.equal(false);
  });

  it("expects the CDK's recorded version to change only on a lane with another CDK version", () => {
    const line = '//.metadata.version: "0.21.0" -> "0.24.0"';
    expect(expectedDifferences(aws5, terrain).some((r) => r.pattern.test(line))).to.equal(true);
    expect(expectedDifferences(aws5, aws6).some((r) => r.pattern.test(line))).to.equal(false);
  });
});

describe('Node engine ranges', () => {
  const cases: [string, string, boolean][] = [
    ['v22.23.3', '>=22.19.0', true],
    ['v22.19.0', '>=22.19.0', true],
    ['v22.11.0', '>=22.19.0', false],
    ['v20.20.2', '>=22.11.0', false],
    ['v24.0.0', '>=22.19.0', true],
  ];
  for (const [version, range, meets] of cases) {
    it(`${version} ${meets ? 'meets' : 'does not meet'} ${range}`, () => {
      expect(meetsEngine(version, range)).to.equal(meets);
    });
  }
});
