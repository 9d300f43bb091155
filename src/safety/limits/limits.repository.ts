import { Inject, Injectable } from '@nestjs/common';
import { Database } from '../../storage/database';

/**
 * The day's counted sends (daily_sends). A slot is taken in the transaction that records
 * the send and kept unless Twilio refused the message: a send whose fate is unknown (a
 * timeout, a crash before Twilio answered) keeps it, and so does a message Twilio accepted
 * and later failed to deliver.
 */
@Injectable()
export class LimitsRepository {
  private readonly countDay;
  private readonly countRecipient;
  private readonly insert;
  private readonly remove;

  constructor(@Inject(Database) database: Database) {
    this.countDay = database.prepare<{ day: string }, { n: number }>(
      'SELECT count(*) AS n FROM daily_sends WHERE day = @day',
    );
    this.countRecipient = database.prepare<{ day: string; to: string }, { n: number }>(
      'SELECT count(*) AS n FROM daily_sends WHERE day = @day AND to_number = @to',
    );
    this.insert = database.prepare<{ day: string; to: string }>(
      'INSERT INTO daily_sends (day, to_number) VALUES (@day, @to)',
    );
    this.remove = database.prepare<[number]>('DELETE FROM daily_sends WHERE id = ?');
  }

  sentOn(day: string): number {
    return this.countDay.get({ day })!.n;
  }

  sentToOn(day: string, to: string): number {
    return this.countRecipient.get({ day, to })!.n;
  }

  /** Takes a slot; its id gives it back. */
  take(day: string, to: string): number {
    return Number(this.insert.run({ day, to }).lastInsertRowid);
  }

  giveBack(slot: number): void {
    this.remove.run(slot);
  }
}
