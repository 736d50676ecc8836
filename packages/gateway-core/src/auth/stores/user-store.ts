import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { UsersTable } from '../db/auth-schema.js';
import type { StoreContext } from './store-context.js';

/** A stored user. */
export type UserRow = Selectable<UsersTable>;

/** Users in `users`, keyed by normalised (trimmed, lower-case) email. */
export class UserStore {
  constructor(private readonly ctx: Pick<StoreContext, 'db'>) {}

  /** The user with this (normalised) email. */
  find(email: string): Promise<UserRow | undefined> {
    return this.ctx.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  async insert(row: Insertable<UsersTable>): Promise<void> {
    await this.ctx.db.insertInto('users').values(row).execute();
  }

  /** @returns false when no such user exists */
  async update(email: string, changes: Updateable<UsersTable>): Promise<boolean> {
    const result = await this.ctx.db
      .updateTable('users')
      .set(changes)
      .where('email', '=', email)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** @returns false when no such user exists */
  async delete(email: string): Promise<boolean> {
    const result = await this.ctx.db.deleteFrom('users').where('email', '=', email).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Users ordered by email, optionally those whose email or name contains `search`. */
  list(options: { limit: number; offset: number; search?: string }): Promise<UserRow[]> {
    let q = this.ctx.db.selectFrom('users').selectAll();
    if (options.search) {
      const like = `%${options.search.toLowerCase().replace(/[!%_]/g, '!$&')}%`;
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`email like ${like} escape '!'`,
          sql<boolean>`lower(full_name) like ${like} escape '!'`,
        ]),
      );
    }
    return q.orderBy('email').limit(options.limit).offset(options.offset).execute();
  }

  /** Active platform administrators (last-admin protection). */
  async countActiveAdmins(): Promise<number> {
    const row = await this.ctx.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('is_admin', '=', 1)
      .where('is_active', '=', 1)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
