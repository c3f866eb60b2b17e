import { Construct } from 'constructs';
import { checkDomainName, checkHostedZoneId, checkRegionalCertificateArn } from '#shared/rules';
import type { Validator } from '#shared/validation';
import {
  ApiGatewayBasePathMapping,
  ApiGatewayDomainName,
  type ApiGatewayRestApi,
  type ApiGatewayStage,
  Route53Record,
} from './toolchain';

/** A custom domain for the API: a name, its regional certificate, and optionally the DNS zone to alias it in. */
export interface CustomDomainSettings {
  /** The host clients use, e.g. `api.example.com`. */
  readonly domainName: string;
  /** A validated ACM certificate for that name, in the stack's region (regional endpoint). */
  readonly certificateArn: string;
  /**
   * Route 53 hosted zone of the name; an alias A record to the API is created in it.
   * @default - no record; point the name at the `regional_domain_name` output yourself
   */
  readonly hostedZoneId?: string;
  /**
   * Turn off the `execute-api` URL, so clients cannot bypass the domain (and the WAF, when set).
   * @default false
   */
  readonly disableDefaultEndpoint?: boolean;
}

/** `region`, the stack's when known: a regional endpoint needs a certificate from there. */
export function validateCustomDomainSettings(
  settings: CustomDomainSettings,
  at: Validator,
  region?: string,
): void {
  at.check('domainName', settings.domainName, checkDomainName)
    .check('certificateArn', settings.certificateArn, (arn) => checkRegionalCertificateArn(arn, region))
    .check('hostedZoneId', settings.hostedZoneId, checkHostedZoneId);
}

export interface CustomDomainProps {
  readonly api: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly settings: CustomDomainSettings;
  /**
   * Tags on the domain name, on top of the provider's default tags.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A stable URL: the custom domain serves the stage at its root (`https://<domain>/<id>`), over a
 * regional endpoint with TLS 1.2 at least, and an alias record when the zone is given.
 */
export class CustomDomain extends Construct {
  readonly domain: ApiGatewayDomainName;
  readonly record?: Route53Record;
  /** `https://<domain>`: items are at `${url}/<id>`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const { domainName, certificateArn, hostedZoneId } = props.settings;
    this.domain = new ApiGatewayDomainName(this, 'domain', {
      domainName,
      regionalCertificateArn: certificateArn,
      endpointConfiguration: { types: ['REGIONAL'] },
      securityPolicy: 'TLS_1_2',
      tags: props.tags,
    });
    new ApiGatewayBasePathMapping(this, 'mapping', {
      domainName: this.domain.domainName,
      apiId: props.api.id,
      stageName: props.stage.stageName,
    });
    if (hostedZoneId !== undefined) {
      this.record = new Route53Record(this, 'alias', {
        zoneId: hostedZoneId,
        name: domainName,
        type: 'A',
        alias: {
          name: this.domain.regionalDomainName,
          zoneId: this.domain.regionalZoneId,
          evaluateTargetHealth: false,
        },
      });
    }
    this.url = `https://${domainName}`;
  }
}
