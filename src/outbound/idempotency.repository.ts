import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../storage/database';

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
  private readonly selectLive;
  private readonly deleteOld;
  private readonly insert;
  private readonly complete;

  constructor(@Inject(Database) database: Database) {
    this.selectLive = database.prepare<{ key: string; cutoff: string }, IdempotencyRow>(
      'SELECT * FROM idempotency_keys WHERE key = @key AND created_at >= @cutoff',
    );
    this.deleteOld = database.prepare('DELETE FROM idempotency_keys WHERE created_at < ?');
    this.insert = database.prepare(
      `INSERT INTO idempotency_keys (key, fingerprint, state, created_at)
       VALUES (@key, @fingerprint, 'pending', @now)`,
    );
    this.complete = database.prepare(
      `UPDATE idempotency_keys SET state = 'done', status = @status, response = @response
       WHERE key = @key`,
    );
  }

  /** The key's row if it is younger than the cutoff. */
  find(key: string, cutoff: string): IdempotencyRow | undefined {
    return this.selectLive.get({ key, cutoff });
  }

  /** Forgets keys older than the cutoff, then claims the key. */
  claim(key: string, fingerprint: string, now: string, cutoff: string): void {
    this.deleteOld.run(cutoff);
    this.insert.run({ key, fingerprint, now });
  }

  /** Retention: forgets keys (and their answers) made before `time`. */
  pruneBefore(time: string): number {
    return this.deleteOld.run(time).changes;
  }

  finish(key: string, status: number, response: unknown): void {
    this.complete.run({ key, status, response: JSON.stringify(response) });
  }
}
