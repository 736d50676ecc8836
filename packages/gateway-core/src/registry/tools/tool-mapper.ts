import type { SecretBox } from '../../crypto/secret-box.js';
import { safeMaskedAuth } from '../auth/auth-settings.js';
import { commonOutput } from '../common/common-fields.js';
import { fromJson } from '../common/json-column.js';
import type { ToolRow } from './tool-repository.js';
import type { ToolOutput } from './tool-schemas.js';

/** Maps a stored row to the API shape. */
export function toToolOutput(row: ToolRow, box: SecretBox): ToolOutput {
  return {
    ...commonOutput(row),
    name: row.name,
    original_name: row.original_name,
    custom_name: row.custom_name,
    title: row.title,
    integration_type: row.integration_type as ToolOutput['integration_type'],
    request_type: row.request_type as ToolOutput['request_type'],
    url: row.url,
    headers: fromJson(row.headers, {}),
    input_schema: fromJson(row.input_schema, { type: 'object', properties: {} }),
    output_schema: fromJson(row.output_schema, null),
    annotations: fromJson(row.annotations, {}),
    jsonpath_filter: row.jsonpath_filter,
    ...safeMaskedAuth(row.auth_type, row.auth_value, box),
    gateway_id: row.gateway_id,
  } as unknown as ToolOutput;
}
