import {
  type FailurePolicy,
  type LoginFailureState,
  type LoginFailureStore,
  nextFailureState,
} from '../../security/passwords/login-failure-store.js';
import { insertIgnore, iso, ms, type StoreContext } from './store-context.js';

/**
 * Failed-login counters in `auth_login_failures`. `recordFailure` is atomic across replicas: the row is
 * created if missing, then read with `SELECT … FOR UPDATE` (PostgreSQL, MySQL; SQLite transactions are
 * exclusive) and updated with {@link nextFailureState} in the same transaction, so N concurrent failures
 * count N.
 */
export class DbLoginFailureStore implements LoginFailureStore {
  constructor(private readonly ctx: StoreContext) {}

  async get(key: string): Promise<LoginFailureState | undefined> {
    const row = await this.ctx.db
      .selectFrom('auth_login_failures')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row || Number(row.failures) === 0) return undefined;
    return {
      failures: Number(row.failures),
      windowStart: ms(row.window_start)!,
      lockedUntil: ms(row.locked_until),
    };
  }

  async recordFailure(key: string, policy: FailurePolicy): Promise<LoginFailureState> {
    // Create the row first, outside the transaction: MySQL's INSERT IGNORE takes a shared lock on an existing
    // key, which would deadlock with the FOR UPDATE below in a concurrent transaction.
    await insertIgnore(this.ctx, 'auth_login_failures', {
      key,
      failures: 0,
      window_start: iso(policy.now),
      locked_until: null,
      updated_at: iso(policy.now),
    });
    return this.ctx.db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('auth_login_failures').selectAll().where('key', '=', key);
      if (this.ctx.kind !== 'sqlite') query = query.forUpdate();
      const row = await query.executeTakeFirstOrThrow();
      const prev: LoginFailureState | undefined =
        Number(row.failures) === 0
          ? undefined
          : {
              failures: Number(row.failures),
              windowStart: ms(row.window_start)!,
              lockedUntil: ms(row.locked_until),
            };
      const next = nextFailureState(prev, policy);
      await trx
        .updateTable('auth_login_failures')
        .set({
          failures: next.failures,
          window_start: iso(next.windowStart),
          locked_until: next.lockedUntil === null ? null : iso(next.lockedUntil),
          updated_at: iso(policy.now),
        })
        .where('key', '=', key)
        .execute();
      return next;
    });
  }

  async reset(key: string): Promise<void> {
    await this.ctx.db.deleteFrom('auth_login_failures').where('key', '=', key).execute();
  }

  /** Deletes counters whose window ended before `before` and that are not locked; returns how many. */
  async purge(before: number): Promise<number> {
    const cutoff = iso(before);
    const result = await this.ctx.db
      .deleteFrom('auth_login_failures')
      .where('window_start', '<', cutoff)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', cutoff)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
