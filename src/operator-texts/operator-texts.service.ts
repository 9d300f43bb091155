import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { OperatorToken } from '../safety/access/operator-token';
import { DayWindow } from '../safety/limits/day-window';
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
  private readonly window: DayWindow;

  constructor(
    @Inject(OperatorTextsRepository) private readonly texts: OperatorTextsRepository,
    @Inject(OperatorSender) private readonly sender: OperatorSender,
    @Inject(OperatorToken) private readonly token: OperatorToken,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.window = new DayWindow(config.safety.timeZone);
  }

  onModuleInit(): void {
    // The operator at the server lifts every phone's lock by using the token.
    this.token.whenUsed(() => this.texts.unlockAll());
  }

  /** Records a text from an operator phone, its codes masked; null when Twilio retried it. */
  recordReply(message: { sid: string; from: string; body: string }): number | null {
    return this.texts.record({
      direction: 'inbound',
      kind: 'reply',
      number: message.from,
      body: maskCodes(message.body),
      sid: message.sid,
      status: 'received',
      day: this.window.localDate(Date.now()),
    });
  }

  /** What the reply came to: approved, denied, wrong_code, locked, stop, start, ignored, failed. */
  settleReply(id: number, status: string): void {
    this.texts.settle(id, { status });
  }

  /** STOP from a phone ends the bridge's texts to it; START resumes them. */
  setStopped(number: string, stopped: boolean): void {
    this.texts.setStopped(number, stopped);
  }

  isLocked(number: string): boolean {
    return this.texts.phone(number).lockedAt !== null;
  }

  /** Whether the notification of this approval reached this phone: only there is its code valid. */
  wasNotified(approvalId: string, number: string): boolean {
    return this.texts.notified(approvalId, number);
  }

  /** Counts a wrong code; the one that makes MAX_WRONG_CODES in an hour locks the phone. */
  async countWrongCode(number: string): Promise<void> {
    const hourAgo = new Date(Date.now() - HOUR_MS).toISOString();
    const unlockedAt = this.texts.phone(number).unlockedAt ?? '';
    const since = unlockedAt > hourAgo ? unlockedAt : hourAgo;
    // The reply is not settled yet: it is the one more.
    if (this.texts.wrongCodesSince(number, since) + 1 < MAX_WRONG_CODES) return;
    this.texts.lock(number);
    await this.sender.send({ to: number, kind: 'lockout', body: LOCKOUT_TEXT, kept: LOCKOUT_TEXT });
  }

  /** Retention: texts made before `time` keep their record, not their words. */
  forgetTextBefore(time: string): number {
    return this.texts.clearTextBefore(time);
  }
}
