import { expect } from 'chai';
import { CORS_MAX_AGE_SECONDS } from '#shared/response-policy';
import type { EnvironmentConfig } from '../../infra/config';
import { environment, expectResource, only, ref, resourcesOf, type Synth, synthStack } from './synth';

const dev = environment('dev');
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f5c3f4e-7a1b-4d2c-9e8f-123456789abc';
const synthWith = (change: Partial<EnvironmentConfig>) => synthStack({ ...dev, ...change });

const withType = (s: Synth, responseType: string) =>
  Object.values(resourcesOf(s, 'aws_api_gateway_gateway_response')).find(
    (r) => r.response_type === responseType,
  );

describe('what the API offers its callers', () => {
  describe('CORS', () => {
    it('adds nothing when no origin is configured: no OPTIONS method, no CORS header anywhere', () => {
      const synth = synthStack(dev);
      const methods = Object.values(resourcesOf(synth, 'aws_api_gateway_method')).map((m) => m.http_method);
      expect(methods).to.have.members(['GET', 'HEAD']);
      expect(synth.json).not.to.include('Access-Control');
    });

    const preflightCases: [title: string, origins: EnvironmentConfig['corsAllowOrigins'], origin?: string][] =
      [
        ['any origin', '*', '*'],
        ['one origin', ['https://app.example.com'], 'https://app.example.com'],
        ['several origins', ['https://a.example.com', 'https://b.example.com'], undefined],
      ];
    for (const [title, corsAllowOrigins, origin] of preflightCases) {
      describe(`for ${title}`, () => {
        const synth = synthWith({ corsAllowOrigins });
        const response = only(synth, 'aws_api_gateway_integration_response').body;
        const parameters = response.response_parameters as Record<string, string>;

        it('answers OPTIONS /{id} with a MOCK integration, so the preflight never invokes the function', () => {
          expectResource(synth, 'aws_api_gateway_method', { http_method: 'OPTIONS', authorization: 'NONE' });
          expectResource(synth, 'aws_api_gateway_integration', {
            http_method: ref(
              synth,
              'aws_api_gateway_method',
              'http_method',
              (m) => m.http_method === 'OPTIONS',
            ),
            type: 'MOCK',
            request_templates: { 'application/json': '{"statusCode": 204}' },
          });
          expect(response.status_code).to.equal(ref(synth, 'aws_api_gateway_method_response', 'status_code'));
        });

        it('allows GET, HEAD and OPTIONS with If-None-Match, cached by the browser for a while', () => {
          expect(parameters).to.deep.include({
            'method.response.header.Access-Control-Allow-Methods': "'GET, HEAD, OPTIONS'",
            'method.response.header.Access-Control-Allow-Headers': "'If-None-Match'",
            'method.response.header.Access-Control-Max-Age': `'${CORS_MAX_AGE_SECONDS}'`,
          });
        });

        if (origin !== undefined) {
          it(`allows ${origin} statically, on the preflight and on every gateway error`, () => {
            expect(parameters['method.response.header.Access-Control-Allow-Origin']).to.equal(`'${origin}'`);
            for (const type of ['MISSING_AUTHENTICATION_TOKEN', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
              expect(withType(synth, type)?.response_parameters, type).to.deep.include({
                'gatewayresponse.header.Access-Control-Allow-Origin': `'${origin}'`,
              });
            }
          });
        } else {
          it('echoes the request Origin only when listed, through the mapping template', () => {
            expect(parameters).not.to.have.property('method.response.header.Access-Control-Allow-Origin');
            const template = (response.response_templates as Record<string, string>)['application/json'];
            expect(template).to.include(
              '$origin == "https://a.example.com" || $origin == "https://b.example.com"',
            );
            expect(template).to.include(
              '$context.responseOverride.header.Access-Control-Allow-Origin = $origin',
            );
          });

          it('gives gateway errors no origin at all rather than reflect an unlisted one', () => {
            for (const type of ['MISSING_AUTHENTICATION_TOKEN', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
              const headers = withType(synth, type)?.response_parameters as Record<string, string>;
              expect(Object.keys(headers), type).not.to.include(
                'gatewayresponse.header.Access-Control-Allow-Origin',
              );
              expect(JSON.stringify(headers), type).not.to.include('method.request.header');
            }
          });
        }

        it(`${origin === '*' ? 'does not vary' : 'varies'} by Origin`, () => {
          expect(parameters['method.response.header.Vary']).to.equal(origin === '*' ? undefined : "'Origin'");
        });
      });
    }
  });

  describe('custom domain', () => {
    const domain = {
      domainName: 'api.example.com',
      certificateArn: CERTIFICATE,
      hostedZoneId: 'Z0123456789ABC',
    };

    it('serves the stage at the root of the domain, regional, TLS 1.2 at least, with an alias record', () => {
      const synth = synthWith({ api: { customDomain: domain } });
      expectResource(synth, 'aws_api_gateway_domain_name', {
        domain_name: 'api.example.com',
        regional_certificate_arn: CERTIFICATE,
        endpoint_configuration: { types: ['REGIONAL'] },
        security_policy: 'TLS_1_2',
      });
      expectResource(synth, 'aws_api_gateway_base_path_mapping', {
        api_id: ref(synth, 'aws_api_gateway_rest_api', 'id'),
        stage_name: ref(synth, 'aws_api_gateway_stage', 'stage_name'),
        domain_name: ref(synth, 'aws_api_gateway_domain_name', 'domain_name'),
      });
      expectResource(synth, 'aws_route53_record', {
        zone_id: 'Z0123456789ABC',
        name: 'api.example.com',
        type: 'A',
        alias: {
          name: ref(synth, 'aws_api_gateway_domain_name', 'regional_domain_name'),
          zone_id: ref(synth, 'aws_api_gateway_domain_name', 'regional_zone_id'),
          evaluate_target_health: false,
        },
      });
      expect(synth.config.output.api_url?.value).to.equal('https://api.example.com');
      expect(synth.config.output.regional_domain_name?.value).to.equal(
        ref(synth, 'aws_api_gateway_domain_name', 'regional_domain_name'),
      );
    });

    it('keeps the execute-api endpoint unless told to turn it off, so clients cannot bypass the domain', () => {
      const api = (change: Partial<EnvironmentConfig>) =>
        only(synthWith(change), 'aws_api_gateway_rest_api').body;
      expect(api({ api: { customDomain: domain } })).not.to.have.property('disable_execute_api_endpoint');
      expect(
        api({ api: { customDomain: { ...domain, disableDefaultEndpoint: true } } })
          .disable_execute_api_endpoint,
      ).to.equal(true);
    });

    it('redeploys the stage when the execute-api endpoint is turned on or off, since API Gateway applies the switch only then', () => {
      const trigger = (disableDefaultEndpoint: boolean | undefined) =>
        (
          only(
            synthWith({ api: { customDomain: { ...domain, disableDefaultEndpoint } } }),
            'aws_api_gateway_deployment',
          ).body.triggers as Record<string, string>
        ).redeployment;
      expect(trigger(true)).not.to.equal(trigger(false));
      // Left unset or false, it is the same API, and an API that never set it keeps its deployment.
      expect(trigger(undefined)).to.equal(trigger(false));
    });

    it('creates no DNS record without a hosted zone', () => {
      const { hostedZoneId: _, ...withoutZone } = domain;
      expect(
        resourcesOf(synthWith({ api: { customDomain: withoutZone } }), 'aws_route53_record'),
      ).to.deep.equal({});
    });
  });
});
