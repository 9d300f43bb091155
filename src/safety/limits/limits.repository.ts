import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../../storage/database';

/**
 * Counts the day's sends from outbound_messages, the ledger the send itself writes.
 * A send counts unless Twilio refused it (failed with a Twilio error code and no sid):
 * that gives its slot back. A send whose fate is unknown (a timeout, a crash before
 * Twilio answered) keeps its slot, and so does a message Twilio accepted and later
 * failed to deliver.
 */
@Injectable()
export class LimitsRepository {
  private readonly countDay;
  private readonly countRecipient;

  constructor(@Inject(Database) database: Database) {
    const counted = `day = @day AND NOT (status = 'failed' AND sid IS NULL AND error_code IS NOT NULL)`;
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
