import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../storage/database';

/**
 * Counts the day's sends from outbound_messages, the ledger the send itself writes.
 * A send counts unless Twilio refused it (failed without a sid): that gives its slot
 * back. A message Twilio accepted and later failed to deliver was still sent.
 */
@Injectable()
export class LimitsRepository {
  private readonly countDay;
  private readonly countRecipient;

  constructor(@Inject(Database) database: Database) {
    const counted = `day = @day AND NOT (status = 'failed' AND sid IS NULL)`;
    this.countDay = database.prepare<{ day: string }, { n: number }>(
      `SELECT count(*) AS n FROM outbound_messages WHERE ${counted}`,
    );
    this.countRecipient = database.prepare<{ day: string; to: string }, { n: number }>(
      `SELECT count(*) AS n FROM outbound_messages WHERE ${counted} AND to_number = @to`,
    );
  }

  sentOn(day: string): number {
    return this.countDay.get({ day })!.n;
  }

  sentToOn(day: string, to: string): number {
    return this.countRecipient.get({ day, to })!.n;
  }
}
