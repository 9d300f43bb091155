import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Kysely } from 'kysely';
import { ApiError, ErrorBody } from '../common/api-error';
import { Clock } from '../common/clock';
import { toErrorBody } from '../common/api-exception.filter';
import { IDEMPOTENCY_KEY_LIFETIME_MS } from '../safety/message/message-limits';
import type { Store } from '../storage/store';
import { IdempotencyRepository } from './idempotency.repository';

/** A response as it went out: replayed as is for a repeated key. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

/** What an earlier request with the same key left: its response, or its running work. */
export type Prior = { response: StoredResponse } | { running: Promise<StoredResponse> };

/**
 * Idempotency-Key on POST /sms/send: the same key with the same request within 24 hours
 * gets the first response and Twilio is called once. The key is claimed in the
 * transaction that admits the send, so a refusal before Twilio (a limit, an opt-out)
 * leaves no key behind and the agent may retry with it later.
 */
@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger('Idempotency');
  private readonly running = new Map<string, Promise<StoredResponse>>();

  constructor(
    @Inject(Kysely) private readonly db: Store,
    @Inject(IdempotencyRepository) private readonly keys: IdempotencyRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * In the admission transaction: claims the key and returns null, or returns what an
   * earlier request with it left. 422 idempotency_key_reused for another request;
   * 409 idempotency_key_in_progress when its first request runs elsewhere or was cut
   * short (its outcome is unknown, so it is not repeated).
   */
  async begin(trx: Store, key: string, request: object): Promise<Prior | null> {
    const fingerprint = fingerprintOf(request);
    const now = this.clock.now();
    const cutoff = new Date(now - IDEMPOTENCY_KEY_LIFETIME_MS).toISOString();
    let row = await this.keys.find(trx, key, cutoff);
    if (!row) {
      if (await this.keys.claim(trx, key, fingerprint, new Date(now).toISOString(), cutoff)) {
        return null;
      }
      // Another bridge claimed it since: its row decides, as a row found first would.
      row = (await this.keys.find(trx, key, cutoff))!;
    }
    if (row.fingerprint !== fingerprint) {
      throw new ApiError(
        'idempotency_key_reused',
        'This Idempotency-Key was used for a different request in the last 24 hours. Use a new key for a new message.',
      );
    }
    if (row.state === 'done') {
      return { response: { status: row.status!, body: JSON.parse(row.response!) as unknown } };
    }
    const running = this.running.get(key);
    if (running) return { running };
    throw new ApiError(
      'idempotency_key_in_progress',
      'A request with this Idempotency-Key is still running or was interrupted, so its outcome is unknown. Check the outbox before sending again with a new key.',
    );
  }

  /** Stores a response that needs no more work (a held send). */
  async finish(trx: Store, key: string, response: StoredResponse): Promise<void> {
    await this.keys.finish(trx, key, response.status, response.body);
  }

  /**
   * After the admission committed: lets duplicates wait for `work` and stores its
   * outcome, an error included (a refused send is not retried under the same key).
   */
  track<T extends StoredResponse>(key: string, work: Promise<T>): Promise<T> {
    const settled = work.then(
      async (response) => {
        await this.store(key, response);
        return response;
      },
      async (error: unknown) => {
        await this.store(key, toErrorBody(error));
        throw error;
      },
    );
    this.running.set(key, settled);
    const forget = () => this.running.delete(key);
    settled.then(forget, forget);
    return settled;
  }

  /** The earlier response, as this request's: a stored error is thrown again. */
  async replay(prior: Prior): Promise<StoredResponse> {
    const response = 'running' in prior ? await prior.running : prior.response;
    if (response.status >= 400) {
      const { code, message, ...details } = (response.body as ErrorBody).error;
      throw new ApiError(code, message, details);
    }
    return response;
  }

  private async store(key: string, response: StoredResponse): Promise<void> {
    try {
      await this.keys.finish(this.db, key, response.status, response.body);
    } catch (error) {
      // The send happened; the key stays pending, so a retry gets 409, never a second send.
      this.logger.error(`Idempotency key not completed: ${(error as Error).message}`);
    }
  }
}

function fingerprintOf(request: object): string {
  const sorted = Object.fromEntries(Object.entries(request).sort(([a], [b]) => (a < b ? -1 : 1)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
