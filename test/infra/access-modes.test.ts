import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { ApiAccess } from '#shared/access';
import { resourcePolicy } from '../../infra/api-access-policy';
import { apiDefinition } from '../../infra/api-definition';
import type { EnvironmentConfig } from '../../infra/config';
import { IAM_ACCESS, KEY_ACCESS } from '../support/access-settings';
import { REPO_ROOT } from '../support/repo-root';
import { environment, expectResourceExactly, only, ref, resourcesOf, type Synth, synthStack } from './synth';

/**
 * Each access mode as synthesized: the public default exactly as before (byte for byte, so the API
 * deployment's redeploy hash and every plan stay the same), and what each other mode adds.
 */
const dev = environment('dev');
const withAccess = (access: ApiAccess, extra: Partial<EnvironmentConfig> = {}): EnvironmentConfig => ({
  ...dev,
  ...extra,
  api: { ...dev.api, access },
});
const synth = (config: EnvironmentConfig) => synthStack(config, { kind: 'local', onPurpose: false });
const methods = (s: Synth) =>
  Object.values(resourcesOf(s, 'aws_api_gateway_method')).map((m) => [
    m.http_method,
    m.authorization,
    m.api_key_required,
  ]);
const trigger = (s: Synth) =>
  (only(s, 'aws_api_gateway_deployment').body.triggers as { redeployment: string }).redeployment;

/** As synth-snapshot.test.ts normalizes: the bundle's hash changes with every handler edit. */
const normalized = (json: string) =>
  `${JSON.stringify(
    JSON.parse(
      json
        .replace(/assets\/([^/"]+)\/[0-9A-F]{32}\//g, 'assets/$1/<bundle hash>/')
        .replace(/"source_code_hash": "[0-9A-F]{32}"/g, '"source_code_hash": "<bundle hash>"'),
    ),
    null,
    2,
  )}\n`;
const pinned = (name: string) =>
  readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'synthesized', `${name}.json`), 'utf8');

describe('access modes, synthesized', () => {
  describe('public, the default', () => {
    it('synthesizes dev and prod byte for byte as pinned, with access unset or set to public', () => {
      for (const name of ['dev', 'prod']) {
        const config = environment(name);
        const backend =
          name === 'prod'
            ? ({ kind: 's3', bucket: 'acme-tfstate', region: 'eu-west-1' } as const)
            : undefined;
        const explicit = { ...config, api: { ...config.api, access: { mode: 'public' } as const } };
        for (const variant of [config, explicit]) {
          expect(
            normalized(synthStack(variant, backend ?? { kind: 'local', onPurpose: false }).json),
            name,
          ).to.equal(pinned(name));
        }
      }
    });

    it('keeps the API definition that the redeploy trigger hashes exactly as it was', () => {
      const options = { cors: undefined, disableExecuteApiEndpoint: false };
      expect(JSON.stringify(apiDefinition(options))).to.equal(
        JSON.stringify(apiDefinition({ ...options, mode: 'public' })),
      );
      expect(apiDefinition(options).method).to.deep.equal({
        httpMethod: 'GET',
        authorization: 'NONE',
        requestParameters: { 'method.request.path.id': true },
      });
      const withCors = {
        cors: ['https://a.example'],
        disableExecuteApiEndpoint: false,
        mode: 'public',
      } as const;
      expect(Object.keys(apiDefinition(withCors).notFound)).to.deep.equal([
        'responseType',
        'statusCode',
        'responseTemplates',
        'responseParameters',
      ]);
    });

    it('has no resource policy, usage plan or key', () => {
      const s = synth(dev);
      for (const type of [
        'aws_api_gateway_rest_api_policy',
        'aws_api_gateway_usage_plan',
        'aws_api_gateway_api_key',
        'aws_api_gateway_usage_plan_key',
      ])
        expect(resourcesOf(s, type), type).to.deep.equal({});
    });
  });

  describe('api-key', () => {
    const s = synth(withAccess(KEY_ACCESS, { corsAllowOrigins: ['https://app.example.com'] }));

    it('requires a key on GET and HEAD, never on the preflight', () => {
      expect(methods(s)).to.have.deep.members([
        ['GET', 'NONE', true],
        ['HEAD', 'NONE', true],
        ['OPTIONS', 'NONE', undefined],
      ]);
    });

    it('creates one usage plan per plan on the stage, with its throttle and quota', () => {
      const stage = {
        api_id: ref(s, 'aws_api_gateway_rest_api', 'id'),
        stage: ref(s, 'aws_api_gateway_stage', 'stage_name'),
      };
      expectResourceExactly(s, 'aws_api_gateway_usage_plan', {
        name: 'item-api-dev-api-partner',
        api_stages: [stage],
        throttle_settings: { rate_limit: 10, burst_limit: 20 },
        quota_settings: { limit: 100_000, period: 'MONTH' },
      });
      const internal = only(
        s,
        'aws_api_gateway_usage_plan',
        (b) => b.name === 'item-api-dev-api-internal',
      ).body;
      expect(internal.throttle_settings).to.deep.equal({ rate_limit: 40, burst_limit: 80 });
      expect(internal.quota_settings).to.equal(undefined);
    });

    it('generates a key for a consumer without apiKeyId and attaches the given id otherwise', () => {
      expectResourceExactly(s, 'aws_api_gateway_api_key', { name: 'item-api-dev-api-acme', enabled: true });
      expect(Object.keys(resourcesOf(s, 'aws_api_gateway_api_key'))).to.have.lengthOf(1);
      const attachments = Object.values(resourcesOf(s, 'aws_api_gateway_usage_plan_key'));
      expect(attachments.map((a) => [a.key_id, a.usage_plan_id, a.key_type])).to.have.deep.members([
        [
          ref(s, 'aws_api_gateway_api_key', 'id'),
          ref(s, 'aws_api_gateway_usage_plan', 'id', (b) => b.name === 'item-api-dev-api-partner'),
          'API_KEY',
        ],
        [
          'a1b2c3d4e5',
          ref(s, 'aws_api_gateway_usage_plan', 'id', (b) => b.name === 'item-api-dev-api-internal'),
          'API_KEY',
        ],
      ]);
    });

    it("lets browsers send x-api-key, and outputs each consumer's key id", () => {
      const preflight = only(s, 'aws_api_gateway_integration_response').body.response_parameters as Record<
        string,
        string
      >;
      expect(preflight['method.response.header.Access-Control-Allow-Headers']).to.equal(
        "'If-None-Match, x-api-key'",
      );
      expect(s.config.output.api_key_ids?.value).to.deep.equal({
        acme: ref(s, 'aws_api_gateway_api_key', 'id'),
        globex: 'a1b2c3d4e5',
      });
    });

    it('needs no resource policy without network limits, and redeploys because the methods changed', () => {
      expect(resourcesOf(s, 'aws_api_gateway_rest_api_policy')).to.deep.equal({});
      expect(trigger(s)).not.to.equal(
        trigger(synth({ ...dev, corsAllowOrigins: ['https://app.example.com'] })),
      );
    });
  });

  describe('iam', () => {
    const s = synth(withAccess(IAM_ACCESS, { corsAllowOrigins: ['https://app.example.com'] }));

    it('signs GET and HEAD with AWS_IAM and leaves the preflight open', () => {
      expect(methods(s)).to.have.deep.members([
        ['GET', 'AWS_IAM', undefined],
        ['HEAD', 'AWS_IAM', undefined],
        ['OPTIONS', 'NONE', undefined],
      ]);
    });

    it("answers unsigned calls (and unknown routes) with AWS's own 403, no-store, with CORS", () => {
      expectResourceExactly(s, 'aws_api_gateway_gateway_response', {
        response_type: 'MISSING_AUTHENTICATION_TOKEN',
        status_code: '403',
        response_templates: { 'application/json': '{"message":$context.error.messageString}' },
        response_parameters: {
          'gatewayresponse.header.Cache-Control': "'no-store'",
          'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'",
          'gatewayresponse.header.Vary': "'Origin'",
        },
      });
    });

    it('attaches the resource policy and redeploys whenever it changes', () => {
      const policy = only(s, 'aws_api_gateway_rest_api_policy').body;
      expect(policy.rest_api_id).to.equal(ref(s, 'aws_api_gateway_rest_api', 'id'));
      // Interpolations (the API's ARN, its partition) hold quotes of their own; the rest is the JSON document.
      const document = (policy.policy as string).replace(/\$\{[^}]*\}/g, 'token');
      const statements = JSON.parse(document).Statement.map((st: { Sid: string }) => st.Sid);
      expect(statements).to.deep.equal(['AllowNamedCallers', 'DenyOtherCallers', 'AllowPreflight']);
      expect(trigger(s)).to.include(`${only(s, 'aws_api_gateway_rest_api_policy').address}.policy`);
      const deployment = only(s, 'aws_api_gateway_deployment').body;
      expect(deployment.depends_on).to.include(only(s, 'aws_api_gateway_rest_api_policy').address);
    });

    it('lets browsers send the SigV4 headers', () => {
      const preflight = only(s, 'aws_api_gateway_integration_response').body.response_parameters as Record<
        string,
        string
      >;
      expect(preflight['method.response.header.Access-Control-Allow-Headers']).to.equal(
        "'If-None-Match, Authorization, X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-Sha256'",
      );
    });
  });

  describe('network limits', () => {
    const network = {
      sourceCidrs: ['10.1.0.0/16'],
      privateEndpoint: { vpcEndpointIds: ['vpce-0123456789abcdef0'] },
    };

    it('makes the endpoint PRIVATE only when a private endpoint is asked for', () => {
      const types = (s: Synth) =>
        (only(s, 'aws_api_gateway_rest_api').body.endpoint_configuration as { types: string[] }).types;
      expect(types(synth(withAccess({ mode: 'public', network })))).to.deep.equal(['PRIVATE']);
      expect(
        types(synth(withAccess({ mode: 'public', network: { sourceCidrs: ['10.1.0.0/16'] } }))),
      ).to.deep.equal(['REGIONAL']);
    });

    it('adds a resource policy in public mode too, and a changed allow-list redeploys the stage', () => {
      const one = synth(withAccess({ mode: 'public', network: { sourceCidrs: ['10.1.0.0/16'] } }));
      const other = synth(withAccess({ mode: 'public', network: { sourceCidrs: ['10.2.0.0/16'] } }));
      expect(Object.keys(resourcesOf(one, 'aws_api_gateway_rest_api_policy'))).to.have.lengthOf(1);
      // The trigger references the policy; the policy text differs, so Terraform computes another hash.
      expect(only(one, 'aws_api_gateway_rest_api_policy').body.policy).not.to.equal(
        only(other, 'aws_api_gateway_rest_api_policy').body.policy,
      );
      expect(trigger(one)).to.include('aws_api_gateway_rest_api_policy.');
    });
  });
});

describe('the resource policy, statement by statement', () => {
  const target = {
    executionArn: 'arn:aws:execute-api:us-east-1:123456789012:abc123',
    partition: 'aws',
    preflight: false,
  };
  const api = target.executionArn;

  it('is absent for plain public access', () => {
    expect(resourcePolicy({ mode: 'public' }, target)).to.equal(undefined);
    expect(resourcePolicy(KEY_ACCESS, target)).to.equal(undefined);
  });

  it('under IAM, allows the named accounts and roles and denies every other principal on GET and HEAD', () => {
    expect(resourcePolicy(IAM_ACCESS, target)?.Statement).to.deep.equal([
      {
        Sid: 'AllowNamedCallers',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:role/reader'] },
        Action: 'execute-api:Invoke',
        Resource: [`${api}/*/GET/*`, `${api}/*/HEAD/*`],
      },
      {
        Sid: 'DenyOtherCallers',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: [`${api}/*/GET/*`, `${api}/*/HEAD/*`],
        Condition: {
          StringNotEquals: { 'aws:PrincipalAccount': ['111122223333'] },
          ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::444455556666:role/reader'] },
        },
      },
    ]);
  });

  it('denies other source addresses with aws:SourceIp, or aws:VpcSourceIp behind a VPC endpoint, and other endpoints', () => {
    const regional = resourcePolicy({ mode: 'public', network: { sourceCidrs: ['203.0.113.0/24'] } }, target);
    expect(regional?.Statement.map((st) => [st.Sid, st.Effect, st.Condition])).to.deep.equal([
      ['AllowInvoke', 'Allow', undefined],
      ['DenyOtherSources', 'Deny', { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }],
    ]);
    const inVpc = resourcePolicy(
      {
        ...KEY_ACCESS,
        network: { sourceCidrs: ['10.0.0.0/8'], privateEndpoint: { vpcEndpointIds: ['vpce-1a2b3c4d'] } },
      },
      target,
    );
    expect(inVpc?.Statement.map((st) => [st.Sid, st.Condition])).to.deep.equal([
      ['AllowInvoke', undefined],
      ['DenyOtherSources', { NotIpAddress: { 'aws:VpcSourceIp': ['10.0.0.0/8'] } }],
      ['DenyOtherEndpoints', { StringNotEquals: { 'aws:SourceVpce': ['vpce-1a2b3c4d'] } }],
    ]);
  });

  it('keeps the preflight open to anonymous browsers under IAM, but not outside the allowed networks', () => {
    const policy = resourcePolicy(
      { ...IAM_ACCESS, network: { sourceCidrs: ['203.0.113.0/24'] } },
      { ...target, preflight: true },
    );
    const preflight = policy?.Statement.find((st) => st.Sid === 'AllowPreflight');
    expect(preflight).to.deep.include({ Effect: 'Allow', Principal: '*', Resource: [`${api}/*/OPTIONS/*`] });
    expect(policy?.Statement.find((st) => st.Sid === 'DenyOtherSources')?.Resource).to.equal(`${api}/*`);
  });
});
