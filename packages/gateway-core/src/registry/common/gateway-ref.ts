import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { GatewayError } from '../../errors.js';
import { gatewayRepository } from '../gateways/gateway-repository.js';

/**
 * The name prefix of the gateway a tool, resource or prompt refers to by `gateway_id`: its slug, or null
 * when it refers to none or exposes upstream names unprefixed (`prefix_names: false`).
 *
 * @throws GatewayError UNPROCESSABLE when the gateway does not exist
 */
export async function referencedGatewaySlug(
  db: Kysely<Database>,
  gatewayId: string | null,
): Promise<string | null> {
  if (!gatewayId) return null;
  const slug = await gatewayRepository.namePrefixOf(db, gatewayId);
  if (slug === undefined) {
    throw new GatewayError(
      'UNPROCESSABLE',
      `gateway_id refers to gateway '${gatewayId}', which does not exist`,
      { field: 'gateway_id' },
    );
  }
  return slug;
}
