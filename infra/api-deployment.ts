import { createHash } from 'node:crypto';
import type { Construct } from 'constructs';
import type { ApiDefinition } from './api-definition';
import type { addItemRoutes } from './api-routes';
import type { CorsPreflight } from './cors-preflight';
import { ApiGatewayDeployment, type ApiGatewayRestApi, type ApiGatewayRestApiPolicy, Fn } from './toolchain';

export interface ApiDeploymentParts {
  readonly api: ApiGatewayRestApi;
  /**
   * Everything about the routes that is not a resource id, and the API settings that apply only on
   * a deployment (the execute-api switch): hashed, so an edit redeploys.
   */
  readonly definition: ApiDefinition;
  readonly routes: ReturnType<typeof addItemRoutes>;
  readonly preflight?: CorsPreflight;
  /** The resource policy, which takes effect only with a new deployment. */
  readonly accessPolicy?: ApiGatewayRestApiPolicy;
}

/**
 * A deployment of the API that is replaced whenever what it serves changes. Created in the API's
 * scope, so its Terraform address stays what it was.
 */
export function addApiDeployment(scope: Construct, parts: ApiDeploymentParts): ApiGatewayDeployment {
  const { api, definition, routes, preflight, accessPolicy } = parts;
  const { resource, validator, methods, notFound, gatewayErrors } = routes;
  const definitionHash = createHash('sha256').update(JSON.stringify(definition)).digest('hex');
  return new ApiGatewayDeployment(scope, 'deployment', {
    restApiId: api.id,
    triggers: {
      // Ids change when a part is replaced; the hash when one is edited in place; the invoke ARN
      // when the function is replaced, which updates the integration in place.
      redeployment: Fn.sha1(
        Fn.jsonencode([
          definitionHash,
          resource.id,
          validator.id,
          ...methods.flatMap(({ method, integration }) => [method.id, integration.id, integration.uri]),
          notFound.id,
          ...gatewayErrors.map((response) => response.id),
          ...(preflight
            ? [preflight.method.id, preflight.integration.id, preflight.integrationResponse.id]
            : []),
          // Absent without one, so public stacks keep the trigger they had.
          ...(accessPolicy ? [accessPolicy.policy] : []),
        ]),
      ),
    },
    // The stage keeps pointing at the old deployment until the new one exists. Terraform forces
    // create-before-destroy onto everything this resource depends on, so nothing with a fixed
    // name may be among its dependencies: replacing the table or the role would then create the
    // new one first, and AWS refuses a second table or role of the same name. Hence the
    // integration URI is built from the function's name rather than from the function resource.
    lifecycle: { createBeforeDestroy: true },
    dependsOn: [
      ...methods.flatMap(({ method, integration }) => [method, integration]),
      notFound,
      ...gatewayErrors,
      ...(preflight ? [preflight.method, preflight.integration, preflight.integrationResponse] : []),
      ...(accessPolicy ? [accessPolicy] : []),
    ],
  });
}
