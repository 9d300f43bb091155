import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { TwilioClient } from '../twilio/twilio.client';
import { measureBody } from './body-limit';
import { SendResponseDto } from './dto/send-response.dto';
import { SendSmsDto } from './dto/send-sms.dto';
import { OutboundRepository } from './outbound.repository';

@Injectable()
export class OutboundService {
  constructor(
    @Inject(TwilioClient) private readonly twilio: TwilioClient,
    @Inject(OutboundRepository) private readonly outbound: OutboundRepository,
  ) {}

  async send(request: SendSmsDto): Promise<SendResponseDto> {
    const body = request.body ?? '';
    const measure = measureBody(body, Boolean(request.mediaUrl?.length));
    const message = { to: request.to, body, mediaUrl: request.mediaUrl };
    const pending = this.outbound.recordSending({ ...message, ...measure, from: this.twilio.from });
    try {
      const accepted = await this.twilio.send(message);
      this.outbound.recordAccepted(pending.id, accepted);
      // Our own count and encoding: Twilio's num_segments is stored beside it.
      return { ...accepted, ...measure };
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
