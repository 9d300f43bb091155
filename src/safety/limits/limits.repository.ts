import { Injectable } from '@nestjs/common';
import type { Store } from '../../storage/store';
/**
 * The day's counted sends (daily_sends). A slot is taken in the transaction that records
 * the send and kept unless Twilio refused the message: a send whose fate is unknown (a
 * timeout, a crash before Twilio answered) keeps it, and so does a message Twilio accepted
 * and later failed to deliver.
 */
@Injectable()
export class LimitsRepository {
  async sentOn(db: Store, day: string): Promise<number> {
    const { n } = await db
      .selectFrom('daily_sends')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('day', '=', day)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async sentToOn(db: Store, day: string, to: string): Promise<number> {
    const { n } = await db
      .selectFrom('daily_sends')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('day', '=', day)
      .where('to_number', '=', to)
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Takes a slot; its id gives it back. */
  async take(db: Store, day: string, to: string): Promise<number> {
    const { id } = await db
      .insertInto('daily_sends')
      .values({ day, to_number: to })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async giveBack(db: Store, slot: number): Promise<void> {
    await db.deleteFrom('daily_sends').where('id', '=', slot).execute();
  }
}
