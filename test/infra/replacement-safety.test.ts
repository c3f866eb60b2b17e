import { expect } from 'chai';
import { environment, type Synth, synthStack } from './synth';

/**
 * Terraform forces create_before_destroy onto every dependency of a resource that has it. A
 * resource with a name AWS keeps unique (table, role, function, log group, topic, alarm) among
 * them would be replaced by creating its successor first, which AWS refuses for the same name
 * (ResourceInUseException, EntityAlreadyExists). So the dependencies of every create-before-destroy
 * resource must be resources AWS identifies by generated id.
 */
const GENERATED_ID_TYPES = new Set([
  'aws_api_gateway_rest_api',
  'aws_api_gateway_resource',
  'aws_api_gateway_method',
  'aws_api_gateway_method_response',
  'aws_api_gateway_integration',
  'aws_api_gateway_integration_response',
  'aws_api_gateway_request_validator',
  'aws_api_gateway_gateway_response',
]);

/** `type.name` of every resource a body refers to (`${type.name.attr}`, `depends_on`). */
function referencedAddresses(body: unknown): string[] {
  const text = JSON.stringify(body);
  return [...text.matchAll(/\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)].map(
    ([, type, name]) => `${type}.${name}`,
  );
}

function dependencyClosure(synth: Synth, start: string): Set<string> {
  const bodies = new Map<string, unknown>();
  for (const [type, byName] of Object.entries(synth.config.resource)) {
    for (const [name, body] of Object.entries(byName)) bodies.set(`${type}.${name}`, body);
  }
  const seen = new Set<string>();
  const visit = (address: string) => {
    for (const dependency of referencedAddresses(bodies.get(address))) {
      if (!bodies.has(dependency) || seen.has(dependency)) continue;
      seen.add(dependency);
      visit(dependency);
    }
  };
  visit(start);
  return seen;
}

function createBeforeDestroyResources(synth: Synth): string[] {
  return Object.entries(synth.config.resource).flatMap(([type, byName]) =>
    Object.entries(byName)
      .filter(
        ([, body]) =>
          (body.lifecycle as { create_before_destroy?: boolean } | undefined)?.create_before_destroy,
      )
      .map(([name]) => `${type}.${name}`),
  );
}

const VARIANTS = [
  { name: 'dev', config: environment('dev') },
  { name: 'prod', config: environment('prod') },
  {
    name: 'dev with every optional setting',
    config: {
      ...environment('dev'),
      alarms: { email: 'ops@example.com' },
      corsAllowOrigins: ['https://app.example.com', 'https://admin.example.com'],
      api: {
        wafWebAclArn:
          'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shared/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc',
        customDomain: {
          domainName: 'api.example.com',
          certificateArn:
            'arn:aws:acm:us-east-1:123456789012:certificate/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc',
          hostedZoneId: 'Z0123456789ABC',
        },
      },
      fn: { reservedConcurrency: 5 },
    },
  },
];

describe('replacing a named resource never creates its successor first', () => {
  for (const { name, config } of VARIANTS) {
    describe(name, () => {
      const synth = synthStack(config);
      const cbd = createBeforeDestroyResources(synth);

      it('has create-before-destroy resources to check (the API deployment)', () => {
        expect(cbd.some((address) => address.startsWith('aws_api_gateway_deployment.'))).to.equal(true);
      });

      for (const address of cbd) {
        it(`${address.split('.')[0]} depends only on resources AWS names by generated id`, () => {
          const named = [...dependencyClosure(synth, address)].filter(
            (dependency) => !GENERATED_ID_TYPES.has(dependency.split('.')[0] as string),
          );
          expect(named).to.deep.equal([]);
        });
      }
    });
  }
});
