import { Inject, Injectable, Logger } from '@nestjs/common';
import { Kysely } from 'kysely';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { DayWindow } from '../safety/limits/day-window';
import { SendPipeline } from '../sending/send-pipeline';
import { lockName, Store } from '../storage/store';
import { OperatorTextKind, OperatorTextsRepository } from './operator-texts.repository';

export interface OperatorMessage {
  to: string;
  kind: Exclude<OperatorTextKind, 'reply'>;
  body: string;
  /** What is kept of the body: with the code masked. */
  kept: string;
  approvalId?: string;
}

export type OperatorStatusResult = 'applied' | 'stale' | 'unknown_message';

/**
 * The bridge's own texts to the operator's phones, the send pipeline's operator_text door:
 * the same message policy, but never held for approval, never the agent's daily budget
 * (the phone's own cap, kept here with the phone's STOP in this module's table), and not
 * the agent's messages, so no agent route lists them.
 */
@Injectable()
export class OperatorSender {
  private readonly logger = new Logger('OperatorTexts');
  private readonly window: DayWindow;
  private readonly perDay: number;

  constructor(
    @Inject(SendPipeline) private readonly pipeline: SendPipeline,
    @Inject(OperatorTextsRepository) private readonly texts: OperatorTextsRepository,
    @Inject(Kysely) private readonly store: Store,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.window = new DayWindow(config.safety.timeZone);
    this.perDay = config.operatorTexts?.perDay ?? 0;
  }

  /**
   * Twilio's status callback for a text to an operator phone: recorded when `movesForward`
   * (the outbound module's order of statuses) allows it. 'unknown_message' when the sid is
   * none of these texts. The text's row is held from the read to the write, so that two
   * callbacks at once, on any bridge, cannot move it backwards.
   */
  applyStatus(
    update: { sid: string; status: string; errorCode: number | null },
    movesForward: (current: string, next: string) => boolean,
  ): Promise<OperatorStatusResult> {
    return this.store.transaction().execute(async (trx): Promise<OperatorStatusResult> => {
      const text = await this.texts.sent(trx, update.sid);
      if (!text) return 'unknown_message';
      if (!movesForward(text.status, update.status)) return 'stale';
      await this.texts.settle(trx, text.id, {
        status: update.status,
        ...(update.errorCode !== null && { error: `twilio_${update.errorCode}` }),
      });
      return 'applied';
    });
  }

  /** True when Twilio accepted the text; a refusal or failure is recorded, not thrown. */
  async send(message: OperatorMessage): Promise<boolean> {
    const id = await this.store.transaction().execute((trx) => this.reserve(trx, message));
    if (id === null) {
      this.logger.warn(
        `Not texting operator phone ${message.to} (${message.kind}): see sms-bridge operator-texts`,
      );
      return false;
    }
    try {
      const accepted = await this.pipeline.transmit({ to: message.to, body: message.body });
      await this.texts.settle(this.store, id, { status: accepted.status, sid: accepted.sid });
      return true;
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'internal_error';
      await this.texts.settle(this.store, id, { status: 'failed', error: code });
      this.logger.warn(`Texting operator phone ${message.to} failed: ${code}`);
      return false;
    }
  }

  /**
   * The text's slot in the phone's daily cap, recorded as 'sending'; null (and the reason
   * recorded) when it gets none. Counting and recording in one transaction that holds the
   * phone's day by name, so that two texts at once, on any bridge, cannot both take the last
   * slot, while texts to other phones go on.
   */
  private async reserve(trx: Store, message: OperatorMessage): Promise<number | null> {
    const day = this.window.localDate(Date.now());
    await lockName(trx, `operator-texts:${message.to}:${day}`);
    const base = {
      direction: 'outbound' as const,
      kind: message.kind,
      number: message.to,
      body: message.kept,
      approvalId: message.approvalId,
      day,
    };
    // A phone that texted STOP gets nothing more from the bridge (carriers require it).
    if ((await this.texts.phone(trx, message.to)).stopped) {
      await this.texts.record(trx, { ...base, status: 'stopped' });
      return null;
    }
    if ((await this.texts.sentOn(trx, message.to, day)) >= this.perDay) {
      await this.texts.record(trx, { ...base, status: 'over_cap' });
      return null;
    }
    try {
      await this.pipeline.check(trx, 'operator_text', { to: message.to, body: message.body });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      await this.texts.record(trx, { ...base, status: 'refused', error: error.code });
      return null;
    }
    return this.texts.record(trx, { ...base, status: 'sending' });
  }
}
