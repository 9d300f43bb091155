import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ScheduledSendDto } from '../schedule/dto/scheduled-send.dto';
import { Delivery, ScheduleService } from '../schedule/schedule.service';
import { OutboundService } from './outbound.service';

/**
 * Sends what the schedule says is due through the one send path (MessagePolicy, opt-out,
 * approval, daily limit). The Idempotency-Key derived from the scheduled id makes a re-run
 * after a crash replay Twilio's answer instead of sending again.
 */
@Injectable()
export class ScheduledDispatcher implements OnApplicationBootstrap {
  constructor(
    @Inject(ScheduleService) private readonly schedule: ScheduleService,
    @Inject(OutboundService) private readonly outbound: OutboundService,
  ) {}

  onApplicationBootstrap(): void {
    void this.schedule.start((send) => this.dispatch(send));
  }

  private async dispatch(send: ScheduledSendDto): Promise<Delivery> {
    const request = {
      to: send.to,
      body: send.body,
      ...(send.mediaUrl.length && { mediaUrl: send.mediaUrl }),
    };
    const outcome = await this.outbound.send(request, {
      caller: 'scheduler',
      idempotencyKey: `scheduled:${send.id}`,
    });
    return outcome.status === 201
      ? { sid: outcome.body.sid }
      : { approvalId: outcome.body.approvalId };
  }
}
