import { expect } from 'chai';
import { environment, expectProblem, expectResource, ref, resourcesOf, synthStack } from './synth';

const WAF = 'aws_wafv2_web_acl_association';
const ACL =
  'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/edge-rules/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

describe('optional AWS WAF on the API stage', () => {
  it('associates nothing by default', () => {
    expect(resourcesOf(synthStack(environment('dev')), WAF)).to.deep.equal({});
  });

  it('associates the configured web ACL with exactly this stage', () => {
    const synth = synthStack({ ...environment('dev'), api: { wafWebAclArn: ACL } });
    expect(Object.keys(resourcesOf(synth, WAF))).to.have.lengthOf(1);
    expectResource(synth, WAF, {
      resource_arn: ref(synth, 'aws_api_gateway_stage', 'arn'),
      web_acl_arn: ACL,
    });
  });

  const invalid = [
    'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge-rules/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    'arn:aws:waf::123456789012:webacl/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
    'edge-rules',
  ];
  for (const arn of invalid) {
    it(`rejects ${arn}, naming the field`, () => {
      expectProblem(
        { ...environment('dev'), api: { wafWebAclArn: arn } },
        /^environments\.dev\.api\.wafWebAclArn must be the ARN of a regional WAF web ACL/,
      );
    });
  }
});
