import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Kysely } from 'kysely';
import { lockName, Store } from '../../storage/store';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Expired hits of callers never seen again are swept at most this often, by each bridge. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The throttles counted in PostgreSQL (throttle_hits), so that every bridge on one database
 * spends the same budget: a caller spread over two bridges gets N a minute in all, not N
 * from each. The same sliding minute as @nestjs/throttler's memory storage, without a
 * penalty block: a refused request is not counted.
 */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage {
  private lastSweep = 0;

  constructor(@Inject(Kysely) private readonly store: Store) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    await this.sweep(now);
    return this.store.transaction().execute(async (trx) => {
      // Counting and adding a hit must not interleave with another bridge's for the same
      // caller; other callers never wait on it.
      await lockName(trx, `throttle:${throttlerName}:${key}`);
      await trx
        .deleteFrom('throttle_hits')
        .where('key', '=', key)
        .where('throttler', '=', throttlerName)
        .where('expires_at', '<=', now)
        .execute();
      const { hits, oldest } = await trx
        .selectFrom('throttle_hits')
        .select((eb) => [eb.fn.countAll<number>().as('hits'), eb.fn.min('expires_at').as('oldest')])
        .where('key', '=', key)
        .where('throttler', '=', throttlerName)
        .executeTakeFirstOrThrow();
      const isBlocked = hits >= limit;
      if (!isBlocked) {
        await trx
          .insertInto('throttle_hits')
          .values({ key, throttler: throttlerName, expires_at: now + ttl })
          .execute();
      }
      const expiresAt = oldest ?? now + ttl;
      return {
        totalHits: hits + 1,
        timeToExpire: Math.ceil((expiresAt - now) / 1000),
        isBlocked,
        timeToBlockExpire: isBlocked ? Math.ceil((expiresAt - now) / 1000) : 0,
      };
    });
  }

  private async sweep(now: number): Promise<void> {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.store.deleteFrom('throttle_hits').where('expires_at', '<=', now).execute();
  }
}
