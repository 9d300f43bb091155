import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { ApiError } from '../../common/api-error';
import { AppConfig } from '../../config/app-config';
import { MetricsService } from '../../metrics/metrics.service';
import { lockName, Store } from '../../storage/store';
import { Day, DayWindow } from './day-window';
import { LimitsRepository } from './limits.repository';

export interface Usage {
  limit: number;
  used: number;
  remaining: number;
}

export interface LimitsView {
  timezone: string;
  day: string;
  resetsAt: string;
  total: Usage;
  perRecipient: { limit: number } | ({ to: string } & Usage);
}

/** A daily slot a send holds: the day it counts on, and the id that gives it back. */
export interface Slot {
  day: string;
  id: number;
}

/** SMS_DAILY_LIMIT and SMS_DAILY_LIMIT_PER_RECIPIENT, over days in SMS_TIMEZONE. */
@Injectable()
export class LimitsService {
  private readonly window: DayWindow;

  constructor(
    @Inject(Kysely) private readonly store: Store,
    @Inject(LimitsRepository) private readonly counts: LimitsRepository,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.window = new DayWindow(config.safety.timeZone);
    metrics.gauge(
      'sms_bridge_daily_budget_remaining',
      'Sends left today under SMS_DAILY_LIMIT',
      async () => (await this.view()).total.remaining,
    );
  }

  /**
   * Checks today's counts and takes a slot. Call it in the transaction that records the
   * send, so that the check and the reservation are one step.
   */
  async reserve(trx: Store, to: string): Promise<Slot> {
    const today = this.window.at(new Date());
    await this.refuseIfFull(trx, today, to);
    return { day: today.day, id: await this.counts.take(trx, today.day, to) };
  }

  /**
   * For a send that will go out at `at`: refused when that day's budget is already spent.
   * Nothing is reserved; the send counts, and is checked again, on the day it goes out.
   */
  async checkDayOf(trx: Store, at: Date, to: string): Promise<void> {
    await this.refuseIfFull(trx, this.window.at(at), to);
  }

  /** A send Twilio refused was never sent: its slot is free again. */
  async giveBack(trx: Store, slot: Slot): Promise<void> {
    await this.counts.giveBack(trx, slot.id);
  }

  /**
   * Every bridge on one database counts the same day: the day's name is locked until the
   * transaction ends, so two sends cannot both take its last slot.
   */
  private async refuseIfFull(trx: Store, day: Day, to: string): Promise<void> {
    const { dailyLimit, dailyLimitPerRecipient } = this.config.safety;
    await lockName(trx, `daily-sends:${day.day}`);
    const total = await this.counts.sentOn(trx, day.day);
    if (total >= dailyLimit) throw limitReached('total', dailyLimit, total, day);
    const recipient = await this.counts.sentToOn(trx, day.day, to);
    if (recipient >= dailyLimitPerRecipient) {
      throw limitReached('recipient', dailyLimitPerRecipient, recipient, day);
    }
  }

  async view(to?: string): Promise<LimitsView> {
    const today = this.window.at(new Date());
    const { dailyLimit, dailyLimitPerRecipient } = this.config.safety;
    return {
      timezone: this.config.safety.timeZone,
      ...today,
      total: usage(dailyLimit, await this.counts.sentOn(this.store, today.day)),
      perRecipient: to
        ? {
            to,
            ...usage(dailyLimitPerRecipient, await this.counts.sentToOn(this.store, today.day, to)),
          }
        : { limit: dailyLimitPerRecipient },
    };
  }
}

function usage(limit: number, used: number): Usage {
  return { limit, used, remaining: Math.max(0, limit - used) };
}

function limitReached(scope: 'total' | 'recipient', limit: number, count: number, today: Day) {
  const what = scope === 'total' ? 'messages a day' : 'messages a day to one recipient';
  return new ApiError(
    'daily_limit_reached',
    `The daily limit of ${limit} ${what} is reached; nothing was sent. It resets at ${today.resetsAt}.`,
    { limit, count, resetsAt: today.resetsAt, scope },
  );
}
