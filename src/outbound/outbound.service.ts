import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { DestinationPolicy } from '../safety/destination-policy';
import { AcceptedMessage, TwilioClient } from '../twilio/twilio.client';
import { SendSmsDto } from './dto/send-sms.dto';
import { OutboundRepository } from './outbound.repository';

@Injectable()
export class OutboundService {
  constructor(
    @Inject(TwilioClient) private readonly twilio: TwilioClient,
    @Inject(OutboundRepository) private readonly outbound: OutboundRepository,
    @Inject(DestinationPolicy) private readonly destinations: DestinationPolicy,
  ) {}

  async send(request: SendSmsDto): Promise<AcceptedMessage> {
    this.destinations.check(request.to);
    const pending = this.outbound.recordSending({ ...request, from: this.twilio.from });
    try {
      const accepted = await this.twilio.send(request);
      this.outbound.recordAccepted(pending.id, accepted);
      return accepted;
    } catch (error) {
      const twilioCode = error instanceof ApiError ? error.details.twilioCode : undefined;
      this.outbound.recordFailed(
        pending.id,
        typeof twilioCode === 'number' ? twilioCode : null,
        error instanceof ApiError ? error.code : 'internal_error',
      );
      throw error;
    }
  }
}
