import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Kysely } from 'kysely';
import { AppConfig } from '../config/app-config';
import { OperatorToken } from '../safety/access/operator-token';
import { DayWindow } from '../safety/limits/day-window';
import { lockName, Store } from '../storage/store';
import { maskCodes } from './operator-reply';
import { OperatorSender } from './operator-sender';
import { OperatorTextsRepository } from './operator-texts.repository';

/** Wrong codes within an hour that stop decisions by text from that phone. */
export const MAX_WRONG_CODES = 5;
const HOUR_MS = 3_600_000;

const LOCKOUT_TEXT = `sms-bridge: ${MAX_WRONG_CODES} wrong codes in an hour, so approving by text is off for this phone until the operator token is used (sudo sms-bridge approvals).`;

/**
 * What other modules may ask of the operator texts (operator_texts, operator_phones): the
 * replies the webhook door receives from the operator's phones, each phone's STOP and
 * lockout, and retention.
 */
@Injectable()
export class OperatorTextsService implements OnModuleInit {
  private readonly logger = new Logger('OperatorTexts');
  private readonly window: DayWindow;

  constructor(
    @Inject(OperatorTextsRepository) private readonly texts: OperatorTextsRepository,
    @Inject(OperatorSender) private readonly sender: OperatorSender,
    @Inject(OperatorToken) private readonly token: OperatorToken,
    @Inject(Kysely) private readonly store: Store,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.window = new DayWindow(config.safety.timeZone);
  }

  onModuleInit(): void {
    // The operator at the server lifts every phone's lock by using the token, before the
    // request it authorises goes on. A failure is logged, not the request's: the phones stay
    // locked, and the next use of the token tries again.
    this.token.whenUsed(async () => {
      await this.texts.unlockAll(this.store).catch((error: unknown) => {
        this.logger.error(`Unlocking the operator phones failed: ${(error as Error).message}`);
      });
    });
  }

  /** Records a text from an operator phone, its codes masked; null when Twilio retried it. */
  recordReply(message: { sid: string; from: string; body: string }): Promise<number | null> {
    return this.texts.record(this.store, {
      direction: 'inbound',
      kind: 'reply',
      number: message.from,
      body: maskCodes(message.body),
      sid: message.sid,
      status: 'received',
      day: this.window.localDate(Date.now()),
    });
  }

  /** What the reply came to: approved, denied, locked, stop, start, ignored, failed. */
  settleReply(id: number, status: string): Promise<void> {
    return this.texts.settle(this.store, id, { status });
  }

  /** STOP from a phone ends the bridge's texts to it; START resumes them. */
  setStopped(number: string, stopped: boolean): Promise<void> {
    return this.texts.setStopped(this.store, number, stopped);
  }

  async isLocked(number: string): Promise<boolean> {
    return (await this.texts.phone(this.store, number)).lockedAt !== null;
  }

  /** Whether the notification of this approval reached this phone: only there is its code valid. */
  wasNotified(approvalId: string, number: string): Promise<boolean> {
    return this.texts.notified(this.store, approvalId, number);
  }

  /**
   * Settles the reply `replyId` from `number` as a wrong code, and counts it: the one that
   * makes MAX_WRONG_CODES in an hour locks the phone. Counted, settled and locked in one
   * transaction under the phone's name, so that wrong codes arriving at once, on any bridge,
   * each count the ones before: a burst of guesses cannot pass the lockout.
   */
  async countWrongCode(replyId: number, number: string): Promise<void> {
    const locked = await this.store.transaction().execute(async (trx) => {
      await lockName(trx, `operator-phone:${number}`);
      const hourAgo = new Date(Date.now() - HOUR_MS).toISOString();
      const phone = await this.texts.phone(trx, number);
      const unlockedAt = phone.unlockedAt ?? '';
      const since = unlockedAt > hourAgo ? unlockedAt : hourAgo;
      const before = await this.texts.wrongCodesSince(trx, number, since);
      await this.texts.settle(trx, replyId, { status: 'wrong_code' });
      // A phone locked since this reply arrived (by a guess sent with it) was told already.
      if (phone.lockedAt !== null || before + 1 < MAX_WRONG_CODES) return false;
      await this.texts.lock(trx, number);
      return true;
    });
    // After the commit: the transaction awaits nothing but the database.
    if (!locked) return;
    await this.sender.send({ to: number, kind: 'lockout', body: LOCKOUT_TEXT, kept: LOCKOUT_TEXT });
  }

  /** Retention: texts made before `time` keep their record, not their words. */
  forgetTextBefore(trx: Store, time: string): Promise<number> {
    return this.texts.clearTextBefore(trx, time);
  }
}
