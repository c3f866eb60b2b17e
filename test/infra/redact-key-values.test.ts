import { expect } from 'chai';
import { keyValuesIn, REDACTED, redactKeyValues } from '../../scripts/lib/redact-key-values';

/**
 * A plan that removes a consumer: the attachment (aws_api_gateway_usage_plan_key, whose `value`
 * hashicorp/aws 5.100.0 does not mark sensitive) is destroyed, and Terraform prints every attribute
 * of a destroyed resource, its key value included, in the text the pull-request comment shows.
 */
const ATTACHED = 'Zq8w3Kx9LmNp2RtY7vBc4DfGh6Jk8Lz0';
const GENERATED = 'Gn5rAt3dKeyValue0123456789abcdefGHIJ';
const PLAN = {
  prior_state: {
    values: {
      root_module: {
        resources: [
          {
            address: 'aws_api_gateway_api_key.acme',
            type: 'aws_api_gateway_api_key',
            values: { name: 'acme', value: GENERATED },
          },
          {
            address: 'aws_api_gateway_usage_plan_key.globex',
            type: 'aws_api_gateway_usage_plan_key',
            values: { value: ATTACHED },
          },
          {
            address: 'aws_lambda_function.fn',
            type: 'aws_lambda_function',
            values: { value: 'not-a-key-but-twenty-chars' },
          },
        ],
      },
    },
  },
  resource_changes: [
    {
      address: 'aws_api_gateway_usage_plan_key.globex',
      type: 'aws_api_gateway_usage_plan_key',
      change: { actions: ['delete'], before: { key_id: 'a1b2c3d4e5', value: ATTACHED }, after: null },
    },
  ],
};
const TEXT = `  # aws_api_gateway_usage_plan_key.globex will be destroyed
  - resource "aws_api_gateway_usage_plan_key" "globex" {
      - key_id        = "a1b2c3d4e5" -> null
      - value         = "${ATTACHED}" -> null
    }
`;

describe('API key values in plan files', () => {
  it('are found in the changes and the prior state of key resources only', () => {
    expect(keyValuesIn(PLAN)).to.have.members([ATTACHED, GENERATED]);
  });

  it('are replaced in the plan text and JSON, and nothing else is touched', () => {
    const text = redactKeyValues(TEXT, keyValuesIn(PLAN));
    expect(text).not.to.include(ATTACHED);
    expect(text).to.include(`- value         = "${REDACTED}" -> null`);
    const json = redactKeyValues(JSON.stringify(PLAN), keyValuesIn(PLAN));
    expect(json).not.to.include(ATTACHED).and.not.to.include(GENERATED);
    expect(JSON.parse(json).resource_changes[0].change.before.key_id).to.equal('a1b2c3d4e5');
    expect(redactKeyValues('No changes.', keyValuesIn({ resource_changes: [] }))).to.equal('No changes.');
  });
});
