import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { DayWindow } from '../safety/limits/day-window';
import { Database } from '../storage/database';
import { SendPipeline } from '../sending/send-pipeline';
import { OperatorTextKind, OperatorTextsRepository } from './operator-texts.repository';

export interface OperatorMessage {
  to: string;
  kind: Exclude<OperatorTextKind, 'reply'>;
  body: string;
  /** What is kept of the body: with the code masked. */
  kept: string;
  approvalId?: string;
}

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
  private readonly reserve;

  constructor(
    @Inject(SendPipeline) private readonly pipeline: SendPipeline,
    @Inject(OperatorTextsRepository) private readonly texts: OperatorTextsRepository,
    @Inject(AppConfig) config: AppConfig,
    @Inject(Database) database: Database,
  ) {
    this.window = new DayWindow(config.safety.timeZone);
    const perDay = config.operatorTexts?.perDay ?? 0;
    // Counting and recording in one step, so two texts at once cannot both take the last slot.
    this.reserve = database.transaction((message: OperatorMessage): number | null => {
      const day = this.window.localDate(Date.now());
      const base = {
        direction: 'outbound' as const,
        kind: message.kind,
        number: message.to,
        body: message.kept,
        approvalId: message.approvalId,
        day,
      };
      // A phone that texted STOP gets nothing more from the bridge (carriers require it).
      if (this.texts.phone(message.to).stopped) {
        this.texts.record({ ...base, status: 'stopped' });
        return null;
      }
      if (this.texts.sentOn(message.to, day) >= perDay) {
        this.texts.record({ ...base, status: 'over_cap' });
        return null;
      }
      try {
        this.pipeline.check('operator_text', { to: message.to, body: message.body });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        this.texts.record({ ...base, status: 'refused', error: error.code });
        return null;
      }
      return this.texts.record({ ...base, status: 'sending' });
    });
  }

  /**
   * Twilio's status callback for a text to an operator phone: recorded when `movesForward`
   * (the outbound module's order of statuses) allows it. 'unknown_message' when the sid is
   * none of these texts.
   */
  applyStatus(
    update: { sid: string; status: string; errorCode: number | null },
    movesForward: (current: string, next: string) => boolean,
  ): 'applied' | 'stale' | 'unknown_message' {
    const text = this.texts.sent(update.sid);
    if (!text) return 'unknown_message';
    if (!movesForward(text.status, update.status)) return 'stale';
    this.texts.settle(text.id, {
      status: update.status,
      ...(update.errorCode !== null && { error: `twilio_${update.errorCode}` }),
    });
    return 'applied';
  }

  /** True when Twilio accepted the text; a refusal or failure is recorded, not thrown. */
  async send(message: OperatorMessage): Promise<boolean> {
    const id = this.reserve.immediate(message);
    if (id === null) {
      this.logger.warn(
        `Not texting operator phone ${message.to} (${message.kind}): see sms-bridge operator-texts`,
      );
      return false;
    }
    try {
      const accepted = await this.pipeline.transmit({ to: message.to, body: message.body });
      this.texts.settle(id, { status: accepted.status, sid: accepted.sid });
      return true;
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'internal_error';
      this.texts.settle(id, { status: 'failed', error: code });
      this.logger.warn(`Texting operator phone ${message.to} failed: ${code}`);
      return false;
    }
  }
}
