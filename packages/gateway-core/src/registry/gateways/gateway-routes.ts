import type { RouteDef } from '../../http/route-def.js';
import type { PageLimits } from '../common/pagination.js';
import { registryRoutes } from '../common/registry-routes.js';
import { gatewayCreateSchema, gatewayOutputSchema, gatewayUpdateSchema } from './gateway-schemas.js';
import type { GatewayService } from './gateway-service.js';

/** REST routes of the gateway registry under `/v1/gateways`. */
export function gatewayRoutes(gateways: GatewayService, limits: PageLimits): RouteDef[] {
  const tag = 'Gateways';
  const crud = registryRoutes(gateways, {
    entity: 'gateway',
    plural: 'gateways',
    tag,
    output: gatewayOutputSchema,
    create: gatewayCreateSchema,
    update: gatewayUpdateSchema,
  });
  return [
    crud.list('List gateways (upstream MCP servers)', limits),
    crud.create(
      'Register a gateway (stored and validated; connection and discovery are done by the MCP engine)',
    ),
    crud.get('Get a gateway (credentials masked)'),
    crud.update('Update a gateway (send "*****" back to keep a stored secret)'),
    crud.delete('Delete a gateway with its tools, resources and prompts'),
    crud.state('Enable or disable a gateway'),
  ];
}
