import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { Audited } from '../safety/audited.decorator';
import { SendResponseDto } from './dto/send-response.dto';
import { SendSmsDto } from './dto/send-sms.dto';
import { OutboundService } from './outbound.service';

@ApiTags('messages')
@Controller('sms')
export class SendController {
  constructor(@Inject(OutboundService) private readonly outbound: OutboundService) {}

  @Post('send')
  @HttpCode(201)
  @Audited('send')
  @ApiOperation({
    summary: 'Send an SMS (or MMS with mediaUrl) through Twilio',
    description:
      'Refused 400 body_too_long over 10 segments, before Twilio is called. Follow delivery with GET /sms/messages/{sid}.',
  })
  @ApiCreatedResponse({ type: SendResponseDto })
  @ApiErrorResponses(400, 403, 502, 504)
  send(@Body() request: SendSmsDto): Promise<SendResponseDto> {
    return this.outbound.send(request);
  }
}
