import type { GatewayOutput } from '../registry/gateways/gateway-schemas.js';
import type { Principal } from '../security/authn/principal.js';

/**
 * The principal background work acts as for a gateway (discovery, health checks, the shared
 * connection's credentials): its owner, seeing everything the gateway owns. It never reaches an
 * authorization check; it only selects the owner's stored upstream credentials.
 */
export function ownerPrincipal(gateway: GatewayOutput): Principal {
  const email = gateway.owner_email ?? undefined;
  return {
    subject: email ?? 'contextforge-gateway',
    ...(email === undefined ? {} : { email }),
    authMethod: 'proxy',
    isAdmin: false,
    teams: { kind: 'admin-bypass' },
    roles: [],
  };
}
