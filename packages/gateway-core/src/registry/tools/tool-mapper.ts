import type { SecretBox } from '../../crypto/secret-box.js';
import { safeMaskedAuth } from '../auth/auth-settings.js';
import type { Visibility } from '../common/common-fields.js';
import { fromJson, toBool } from '../common/json-column.js';
import type { ToolRow } from './tool-repository.js';
import type { ToolOutput } from './tool-schemas.js';

/**
 * Maps a stored row to the API shape. Written out field by field rather than spread: lists map thousands
 * of rows, and literals with a fixed shape are several times cheaper to build and serialise.
 */
export function toToolOutput(row: ToolRow, box: SecretBox): ToolOutput {
  const out = {
    id: row.id,
    slug: row.slug,
    description: row.description,
    tags: fromJson<string[]>(row.tags, []),
    team_id: row.team_id,
    owner_email: row.owner_email,
    visibility: row.visibility as Visibility,
    enabled: toBool(row.enabled),
    created_at: row.created_at,
    updated_at: row.updated_at,
    created_by: row.created_by,
    created_via: row.created_via,
    modified_by: row.modified_by,
    modified_via: row.modified_via,
    import_batch_id: row.import_batch_id,
    version: Number(row.version),
    name: row.name,
    original_name: row.original_name,
    custom_name: row.custom_name,
    title: row.title,
    integration_type: row.integration_type as ToolOutput['integration_type'],
    request_type: row.request_type as ToolOutput['request_type'],
    url: row.url,
    headers: fromJson<Record<string, string>>(row.headers, {}),
    input_schema: fromJson<Record<string, unknown>>(row.input_schema, { type: 'object', properties: {} }),
    output_schema: fromJson<Record<string, unknown> | null>(row.output_schema, null),
    annotations: fromJson<Record<string, unknown>>(row.annotations, {}),
    jsonpath_filter: row.jsonpath_filter,
    auth_type: row.auth_type ?? 'none',
    gateway_id: row.gateway_id,
  };
  // Tools without credentials (nearly all) skip decryption and keep the fixed shape.
  return (
    row.auth_value === null ? out : Object.assign(out, safeMaskedAuth(row.auth_type, row.auth_value, box))
  ) as ToolOutput;
}
