import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { Database, PromptsTable, ToolsTable } from '../../db/schema.js';
import { conflict } from '../../errors.js';
import { assertToolName, composeName } from '../common/naming.js';
import { type PromptRow, promptRepository } from '../prompts/prompt-repository.js';
import { promptKeys } from '../prompts/prompt-service.js';
import { type ToolRow, toolRepository } from '../tools/tool-repository.js';
import { toolKeys } from '../tools/tool-service.js';

type Db = Kysely<Database>;

/** The columns tools and prompts share: the common ones and the gateway-prefixed naming. */
export type NamedMemberTable = Pick<ToolsTable & PromptsTable, keyof PromptsTable & keyof ToolsTable>;

/**
 * A kind of gateway member named `<gateway-slug><sep><custom name>` (tools and prompts), with what
 * renames and discovery need of it: its storage (through the shared columns) and its cache keys.
 */
export interface NamedMemberKind<R extends Selectable<NamedMemberTable>> {
  /** `tool` or `prompt`, for messages and as the slug of a nameless one. */
  kind: string;
  repository: {
    listByGateway(db: Db, gatewayId: string): Promise<R[]>;
    findByName(db: Db, name: string): Promise<R | undefined>;
    insert(db: Db, row: Insertable<NamedMemberTable>): Promise<void>;
    update(db: Db, id: string, changes: Updateable<NamedMemberTable>): Promise<void>;
    delete(db: Db, id: string): Promise<boolean>;
  };
  keys: { id(id: string): string; name(name: string): string };
}

/** Tools as gateway members. */
export const toolMembers: NamedMemberKind<ToolRow> = {
  kind: 'tool',
  repository: toolRepository,
  keys: toolKeys,
};

/** Prompts as gateway members. */
export const promptMembers: NamedMemberKind<PromptRow> = {
  kind: 'prompt',
  repository: promptRepository,
  keys: promptKeys,
};

/**
 * Renames a gateway's members of one kind after the gateway's name prefix changed (null: none) (inside the caller's
 * transaction); cache keys of the old names are added to `staleKeys`.
 *
 * @throws GatewayError VALIDATION_FAILED (a new name breaks the MCP name rule), CONFLICT (a new name is
 *   taken by another member of the kind)
 */
export async function reprefixMembers<R extends Selectable<NamedMemberTable>>(
  db: Db,
  members: NamedMemberKind<R>,
  gatewayId: string,
  slug: string | null,
  sep: string,
  staleKeys: string[],
): Promise<void> {
  const { kind, repository, keys } = members;
  for (const member of await repository.listByGateway(db, gatewayId)) {
    const name = composeName(slug, sep, member.custom_name);
    assertToolName(name, 'name');
    const clash = await repository.findByName(db, name);
    if (clash && clash.id !== member.id)
      throw conflict(
        `renaming the gateway or changing prefix_names would rename ${kind} '${member.name}' to '${name}', which ${kind} ${clash.id} already uses`,
        'name',
      );
    await repository.update(db, member.id, { name });
    staleKeys.push(keys.id(member.id), keys.name(member.name));
  }
}
