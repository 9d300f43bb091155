import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { Subscription } from 'rxjs';
import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { AuditedAction } from '../safety/audit/audited-action';
import type { AuditOutcome } from '../safety/audit/audit-entry';
import { AuditService } from '../safety/audit/audit.service';
import { IDEMPOTENCY_KEY_LIFETIME_MS } from '../safety/message/message-limits';
import type { ScheduledStatus } from '../schedule/scheduled-status';
import { DueSend, ScheduleService } from '../schedule/schedule.service';
import { OutboundService } from './outbound.service';

const MINUTE_MS = 60_000;
/** Timers are re-armed at least hourly: setTimeout cannot wait 30 days (2^31 ms at most). */
const MAX_TIMER_MS = 3_600_000;

/**
 * Sends what the schedule says is due, through the send path every door takes (the send
 * pipeline's rules for the scheduled door), with the Idempotency-Key `scheduled:<id>`:
 * a re-run after a crash replays Twilio's answer instead of sending again. One timer waits
 * for the earliest due send.
 */
@Injectable()
export class ScheduledRunner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Schedule');
  private stopped = false;
  private timer?: unknown;
  private running?: Promise<void>;
  private again = false;
  private readonly armed: Subscription;

  constructor(
    @Inject(ScheduleService) private readonly schedule: ScheduleService,
    @Inject(OutboundService) private readonly outbound: OutboundService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.armed = schedule.scheduled$.subscribe(() => void this.arm());
  }

  /** Sends a crash cut short are taken up first: the key replays what Twilio accepted. */
  onApplicationBootstrap(): void {
    void this.run(true);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.armed.unsubscribe();
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    // Unreleased, a lease runs out by itself: another bridge then takes the send up.
    await this.schedule.release().catch((error: unknown) => {
      this.logger.warn(`Sends being sent not given back: ${(error as Error).message}`);
    });
  }

  /** Resolves when the sends due now have been handled (tests wait on it). */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** The timer waits for the earliest scheduled send. */
  /** Resolves once the timer is set: a run is settled only when its next one is timed. */
  private arm(): Promise<void> {
    return this.armAt().catch((error: unknown) => {
      this.logger.error(`Scheduled sends not timed: ${(error as Error).message}`);
    });
  }

  private async armAt(): Promise<void> {
    if (this.stopped) return;
    const next = await this.schedule.nextDue();
    // Stopped or re-armed while the database answered: the later arming decides.
    if (this.stopped) return;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    if (next === null) return;
    const wait = Math.min(Math.max(0, Date.parse(next) - this.clock.now()), MAX_TIMER_MS);
    this.timer = this.clock.setTimer(() => {
      this.timer = undefined;
      void this.run();
    }, wait);
  }

  private run(resume = false): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const work = async () => {
      if (resume) for (const send of await this.schedule.interrupted()) await this.resume(send);
      const now = new Date(this.clock.now()).toISOString();
      for (const send of await this.schedule.due(now)) await this.fire(send);
    };
    this.running = work()
      .catch((error: unknown) => {
        this.logger.error(`Scheduled sends stopped: ${(error as Error).message}`);
      })
      .finally(() => {
        this.running = undefined;
        if (!this.again) return this.arm();
        this.again = false;
        void this.run();
      });
    return this.running;
  }

  /**
   * A send a crash cut short is sent again under its Idempotency-Key, which replays what
   * Twilio answered. Past the key's lifetime (or SMS_SCHEDULE_MAX_LATE_MINUTES, when
   * shorter) the key may be gone and Twilio may have taken it: unknown, never sent twice.
   */
  private async resume(send: DueSend): Promise<void> {
    if (!(await this.schedule.takeOver(send.id))) return;
    const late = this.clock.now() - Date.parse(send.sendAt);
    const limit = Math.min(
      this.config.schedule.maxLateMinutes * MINUTE_MS,
      IDEMPOTENCY_KEY_LIFETIME_MS,
    );
    if (late <= limit) return this.send(send);
    if (await this.schedule.move(send.id, 'sending', 'unknown')) {
      await this.record(send, 'failed', {
        reason: 'interrupted',
        detail: { lateMinutes: Math.floor(late / MINUTE_MS) },
      });
    }
  }

  private async fire(send: DueSend): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    if (this.schedule.expired(send.sendAt, now)) {
      const late = now - Date.parse(send.sendAt);
      if (await this.schedule.move(send.id, 'scheduled', 'expired')) {
        await this.record(send, 'refused', {
          reason: 'expired',
          detail: { lateMinutes: Math.floor(late / MINUTE_MS) },
        });
      }
      return;
    }
    let at: number;
    try {
      at = await this.outbound.allowedAt('scheduled_due', send, now);
    } catch (error) {
      return this.settle(send, 'scheduled', error);
    }
    // Late past its time (the bridge was down), it now lands in the recipient's night.
    if (at > now) {
      await this.schedule.move(send.id, 'scheduled', 'scheduled', {
        send_at: new Date(at).toISOString(),
      });
      return;
    }
    if (await this.schedule.claim(send.id)) await this.send(send);
  }

  private async send(send: DueSend): Promise<void> {
    if (this.stopped) return;
    // Nothing leaves without its audit record, as for a send through the route.
    await this.audit.append(audited(send).attempt());
    let outcome;
    try {
      outcome = await this.schedule.holding(send.id, () =>
        this.outbound.send(
          'scheduled_due',
          {
            to: send.to,
            body: send.body,
            ...(send.mediaUrl.length && { mediaUrl: send.mediaUrl }),
          },
          { caller: 'scheduler', idempotencyKey: `scheduled:${send.id}` },
        ),
      );
    } catch (error) {
      return this.settle(send, 'sending', error);
    }
    if (outcome.status === 201) {
      const { sid } = outcome.body;
      await this.schedule.move(send.id, 'sending', 'sent', { sid });
      await this.record(send, 'accepted', { sid });
    } else {
      // The number lost its approval in between: held again, scheduled once approved.
      const approvalId = (outcome.body as { approvalId: string }).approvalId;
      await this.schedule.move(send.id, 'sending', 'awaiting_approval', {
        approval_id: approvalId,
      });
      await this.record(send, 'held', { detail: { approvalId } });
    }
  }

  /** A refusal when due is kept on the entry with its code, and audited. */
  private async settle(send: DueSend, from: ScheduledStatus, error: unknown): Promise<void> {
    const { status, code } = outcomeOf(error);
    if (status === 'failed' && code === 'internal_error') {
      this.logger.error(`Scheduled send ${send.id} failed: ${(error as Error).message}`);
    }
    await this.schedule.move(send.id, from, status, { error_code: code });
    await this.record(send, status === 'refused' ? 'refused' : 'failed', { reason: code });
  }

  private record(
    send: DueSend,
    outcome: AuditOutcome,
    extra: { reason?: string; sid?: string; detail?: Record<string, unknown> },
  ): Promise<void> {
    return this.audit.appendOrLog(
      audited(send).outcome(outcome, {
        ...extra,
        detail: { scheduledId: send.id, sendAt: send.sendAt, ...extra.detail },
      }),
    );
  }
}

/** A send falling due is audited under its scheduled id, as the one who asked for it. */
function audited(send: DueSend): AuditedAction {
  return new AuditedAction({
    requestId: `scheduled:${send.id}`,
    action: 'scheduled_send',
    caller: send.requestedBy,
    recipient: send.to,
    body: send.body,
  });
}

function outcomeOf(error: unknown): { status: ScheduledStatus; code: string } {
  if (!(error instanceof ApiError)) return { status: 'failed', code: 'internal_error' };
  const { code } = error;
  // The send may have gone out: never retried, so never sent twice.
  if (code === 'idempotency_key_in_progress' || code === 'twilio_timeout') {
    return { status: 'unknown', code };
  }
  const fromTwilio = error.details.twilioCode !== undefined || error.getStatus() >= 500;
  return { status: fromTwilio ? 'failed' : 'refused', code };
}
