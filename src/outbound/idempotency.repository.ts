import { Injectable } from '@nestjs/common';
import type { Store } from '../storage/store';

export interface IdempotencyRow {
  key: string;
  fingerprint: string;
  state: 'pending' | 'done';
  status: number | null;
  response: string | null;
  created_at: string;
}

@Injectable()
export class IdempotencyRepository {
  /** The key's row if it is younger than the cutoff. */
  find(db: Store, key: string, cutoff: string): Promise<IdempotencyRow | undefined> {
    return db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('key', '=', key)
      .where('created_at', '>=', cutoff)
      .executeTakeFirst() as Promise<IdempotencyRow | undefined>;
  }

  /**
   * Forgets keys older than the cutoff, then claims the key; false when another request
   * holds it (on PostgreSQL the insert waits for that request's transaction to end).
   */
  async claim(
    db: Store,
    key: string,
    fingerprint: string,
    now: string,
    cutoff: string,
  ): Promise<boolean> {
    await this.pruneBefore(db, cutoff);
    const result = await db
      .insertInto('idempotency_keys')
      .values({ key, fingerprint, state: 'pending', created_at: now })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows) === 1;
  }

  /** Retention: forgets keys (and their answers) made before `time`. */
  async pruneBefore(db: Store, time: string): Promise<number> {
    const result = await db
      .deleteFrom('idempotency_keys')
      .where('created_at', '<', time)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async finish(db: Store, key: string, status: number, response: unknown): Promise<void> {
    await db
      .updateTable('idempotency_keys')
      .set({ state: 'done', status, response: JSON.stringify(response) })
      .where('key', '=', key)
      .execute();
  }
}
