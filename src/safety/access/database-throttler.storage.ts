import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Database } from '../../storage/database';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The throttles counted in the database (throttle_hits), so that every bridge on one
 * PostgreSQL database spends the same budget: a caller spread over two bridges gets N a
 * minute in all, not N from each. The same sliding minute as @nestjs/throttler's memory
 * storage, without a penalty block: a refused request is not counted.
 */
@Injectable()
export class DatabaseThrottlerStorage implements ThrottlerStorage {
  private readonly hit;

  constructor(@Inject(Database) database: Database) {
    const prune = database.prepare<[number]>('DELETE FROM throttle_hits WHERE expires_at <= ?');
    const live = database.prepare<[string, string], { hits: number; oldest: number | null }>(
      `SELECT count(*) AS hits, min(expires_at) AS oldest FROM throttle_hits
       WHERE key = ? AND throttler = ?`,
    );
    const insert = database.prepare<[string, string, number]>(
      'INSERT INTO throttle_hits (key, throttler, expires_at) VALUES (?, ?, ?)',
    );
    this.hit = database.transaction(
      (key: string, throttler: string, ttl: number, limit: number): ThrottlerStorageRecord => {
        const now = Date.now();
        prune.run(now);
        const { hits, oldest } = live.get(key, throttler)!;
        const isBlocked = hits >= limit;
        if (!isBlocked) insert.run(key, throttler, now + ttl);
        const expiresAt = oldest ?? now + ttl;
        return {
          totalHits: hits + 1,
          timeToExpire: Math.ceil((expiresAt - now) / 1000),
          isBlocked,
          timeToBlockExpire: isBlocked ? Math.ceil((expiresAt - now) / 1000) : 0,
        };
      },
    );
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    return Promise.resolve(this.hit.immediate(key, throttlerName, ttl, limit));
  }
}
