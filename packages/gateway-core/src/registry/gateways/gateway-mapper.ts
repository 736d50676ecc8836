import type { SecretBox } from '../../crypto/secret-box.js';
import { safeMaskedAuth } from '../auth/auth-settings.js';
import { commonOutput } from '../common/common-fields.js';
import { fromJson, toBool } from '../common/json-column.js';
import type { GatewayRow } from './gateway-repository.js';
import type { GatewayOutput } from './gateway-schemas.js';

/** Maps a stored row to the API shape. */
export function toGatewayOutput(row: GatewayRow, box: SecretBox): GatewayOutput {
  // Object.assign onto the common fields, not a spread: cheaper for lists of many rows.
  return Object.assign(commonOutput(row), {
    name: row.name,
    url: row.url,
    transport: row.transport as GatewayOutput['transport'],
    command: row.command,
    args: fromJson<string[]>(row.args, []),
    headers: fromJson(row.headers, {}),
    passthrough_headers: fromJson<string[] | null>(row.passthrough_headers, null),
    prefix_names: toBool(row.prefix_names),
    ...safeMaskedAuth(row.auth_type, row.auth_value, box),
    capabilities: fromJson(row.capabilities, {}),
    reachable: toBool(row.reachable),
    last_seen: row.last_seen,
    last_health_check: row.last_health_check,
    consecutive_failures: Number(row.consecutive_failures),
    last_error: row.last_error,
  }) as unknown as GatewayOutput;
}
