import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { Audited } from '../safety/audited.decorator';
import { AcceptedMessage } from '../twilio/twilio.client';
import { SendSmsDto } from './dto/send-sms.dto';
import { OutboundService } from './outbound.service';

@Controller('sms')
export class SendController {
  constructor(@Inject(OutboundService) private readonly outbound: OutboundService) {}

  @Post('send')
  @HttpCode(201)
  @Audited('send')
  send(@Body() request: SendSmsDto): Promise<AcceptedMessage> {
    return this.outbound.send(request);
  }
}
