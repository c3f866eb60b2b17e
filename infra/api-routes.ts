import type { Construct } from 'constructs';
import { ITEM_METHODS } from '#shared/response-policy';
import { type ApiDefinition, lambdaInvokeUri } from './api-definition';
import {
  ApiGatewayGatewayResponse,
  ApiGatewayIntegration,
  ApiGatewayMethod,
  ApiGatewayRequestValidator,
  ApiGatewayResource,
  type ApiGatewayRestApi,
} from './toolchain';

/**
 * The `/{id}` resource with GET and HEAD proxied to the function, and the gateway's own error
 * responses. Created in the API's scope (not a construct of their own), so their Terraform
 * addresses stay what they were.
 */
export function addItemRoutes(
  scope: Construct,
  api: ApiGatewayRestApi,
  definition: ApiDefinition,
  functionName: string,
) {
  const resource = new ApiGatewayResource(scope, 'item-resource', {
    restApiId: api.id,
    parentId: api.rootResourceId,
    ...definition.resource,
  });
  const validator = new ApiGatewayRequestValidator(scope, 'validator', {
    restApiId: api.id,
    ...definition.validator,
  });
  // GET and HEAD (same headers, no body) both go to the function; the ids keep GET's resources
  // where they were before HEAD existed.
  const methods = ITEM_METHODS.map((httpMethod) => {
    const name = httpMethod.toLowerCase();
    const method = new ApiGatewayMethod(scope, `${name}-item`, {
      restApiId: api.id,
      resourceId: resource.id,
      requestValidatorId: validator.id,
      ...definition.method,
      httpMethod,
    });
    const integration = new ApiGatewayIntegration(scope, `${name}-item-integration`, {
      restApiId: api.id,
      resourceId: resource.id,
      httpMethod: method.httpMethod,
      uri: lambdaInvokeUri(api, functionName),
      ...definition.integration,
    });
    return { httpMethod, method, integration };
  });
  const notFound = new ApiGatewayGatewayResponse(scope, 'not-found', {
    restApiId: api.id,
    ...definition.notFound,
  });
  const gatewayErrors = definition.gatewayErrors.map(
    (response) =>
      new ApiGatewayGatewayResponse(scope, response.responseType.toLowerCase().replace('_', '-'), {
        restApiId: api.id,
        ...response,
      }),
  );
  return { resource, validator, methods, notFound, gatewayErrors };
}
