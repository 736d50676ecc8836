import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { SecretBox } from '../../crypto/secret-box.js';
import type { Database } from '../../db/schema.js';
import { GatewayError, isGatewayError } from '../../errors.js';
import { zodToGatewayError } from '../../http/zod-issues.js';
import type { Actor } from '../common/actor.js';
import { gatewayRepository } from '../gateways/gateway-repository.js';
import type { GatewayService } from '../gateways/gateway-service.js';
import type { PromptService } from '../prompts/prompt-service.js';
import type { RegistryContext } from '../registry-context.js';
import type { ResourceService } from '../resources/resource-service.js';
import type { RootService } from '../roots/root-service.js';
import type { ServerService } from '../servers/server-service.js';
import type { ToolService } from '../tools/tool-service.js';
import type { BundleType, ConflictStrategy, ImportAction, ImportReport } from './bundle-schema.js';

/** The registries an import writes through (their rules apply to imported entities too). */
export interface ImportServices {
  gateways: GatewayService;
  tools: ToolService;
  resources: ResourceService;
  prompts: PromptService;
  servers: ServerService;
  roots: RootService;
}

/**
 * The state of one import inside its transaction: the report being written, where bundle names ended up
 * (bundle name → id, so later entities resolve references to renamed or skipped ones), and the helpers
 * every entity kind shares.
 */
export class ImportRun {
  readonly gatewayIds = new Map<string, string>();
  readonly toolIds = new Map<string, string>();
  readonly resourceIds = new Map<string, string>();
  readonly promptIds = new Map<string, string>();
  readonly sep: string;
  readonly #oldBox: SecretBox | undefined;

  constructor(
    readonly ctx: RegistryContext,
    readonly services: ImportServices,
    readonly db: Kysely<Database>,
    readonly strategy: ConflictStrategy,
    readonly actor: Actor,
    readonly report: ImportReport,
    rekeySecret: string | undefined,
  ) {
    this.sep = ctx.config.GATEWAY_TOOL_NAME_SEPARATOR;
    this.#oldBox = rekeySecret ? new SecretBox(rekeySecret) : undefined;
  }

  /**
   * A bundle secret usable here: kept when it decrypts under this gateway's key, re-encrypted when it
   * decrypts under `rekey_secret`.
   *
   * @throws GatewayError UNPROCESSABLE (field `auth_value`) otherwise
   */
  reseal(value: string | null | undefined): string | null {
    if (!value) return null;
    if (this.ctx.box.canDecrypt(value)) return value;
    if (this.#oldBox?.canDecrypt(value)) return this.ctx.box.encrypt(this.#oldBox.decrypt(value));
    const hint = this.#oldBox
      ? ' (rekey_secret does not decrypt it either)'
      : '; pass that secret as rekey_secret';
    throw new GatewayError(
      'UNPROCESSABLE',
      `the stored secret was encrypted with another AUTH_ENCRYPTION_SECRET${hint}`,
      {
        field: 'auth_value',
      },
    );
  }

  /** Adds an action to the report and its count. */
  record(action: ImportAction): void {
    this.report.actions.push(action);
    const key = { create: 'created', update: 'updated', skip: 'skipped', rename: 'renamed' } as const;
    this.report.counts[key[action.action]] += 1;
  }

  /** The error of conflict strategy `fail`. */
  conflictFail(what: string): GatewayError {
    return new GatewayError('CONFLICT', `${what} already exists (conflict_strategy=fail)`);
  }

  /** The bundle's id when it is free here (ids are kept across gateways where possible). */
  async freeId(table: BundleType, id: string | undefined): Promise<string | undefined> {
    if (!id) return undefined;
    const row = await this.db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
    return row ? undefined : id;
  }

  /** `<base>-imported`, or `-imported-2`, … : the first name `taken` says is free. */
  async renamed(base: string, taken: (candidate: string) => Promise<boolean>): Promise<string> {
    for (let n = 1; ; n += 1) {
      const candidate = `${base}-imported${n > 1 ? `-${n}` : ''}`;
      if (!(await taken(candidate))) return candidate;
    }
  }

  /**
   * The gateway a bundle entity names: one imported in this run, or one that exists here.
   *
   * @throws GatewayError UNPROCESSABLE (field `gateway_name`)
   */
  async gatewayRef(name: string | null | undefined): Promise<{ id: string | null; slug: string | null }> {
    if (!name) return { id: null, slug: null };
    const id = this.gatewayIds.get(name) ?? (await gatewayRepository.findByName(this.db, name))?.id;
    if (!id) {
      throw new GatewayError(
        'UNPROCESSABLE',
        `gateway '${name}' is neither in the bundle nor in this gateway`,
        {
          field: 'gateway_name',
        },
      );
    }
    return { id, slug: (await gatewayRepository.slugOf(this.db, id)) ?? null };
  }
}

/** Validates a bundle entity with the create/update schema of its registry (400 naming the field). */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw zodToGatewayError(result.error, 'body');
  return result.data;
}

/** Re-raises an entity's error with its position in the bundle (`entities.tools.3.name`). */
export async function at<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    throw new GatewayError(error.code, `${path}: ${error.message}`, {
      field: error.field ? `${path}.${error.field}` : path,
      cause: error,
      ...(error.details ? { details: error.details } : {}),
    });
  }
}

const COMMON_KEYS = ['description', 'tags', 'team_id', 'owner_email', 'visibility', 'enabled'];

/** The common fields and `keys` of a bundle entity that are set (null counts as unset). */
export function pick(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...COMMON_KEYS, ...keys])
    if (value[k] !== undefined && value[k] !== null) out[k] = value[k];
  return out;
}
