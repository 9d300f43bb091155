import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { peerAddress } from '../common/request-origin';
import { Audited } from '../safety/audit/audited.decorator';
import { IDEMPOTENCY_KEY_MAX_LENGTH, readIdempotencyKey } from './idempotency-key';
import { RateLimited } from '../safety/access/rate-limited.decorator';
import { HeldSendDto } from './dto/held-send.dto';
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
  @RateLimited('send')
  @ApiOperation({
    summary: 'Send an SMS (or MMS with mediaUrl) through Twilio',
    description:
      'A first send to a number nobody approved is held (202 awaiting_approval). Refused 400 body_too_long over 10 segments, before Twilio is called. Follow delivery with GET /sms/messages/{sid}.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes retries safe: a repeat with the same key and request within 24 h answers the first answer again (with Idempotent-Replayed: true) instead of sending twice. 1 to 255 printable ASCII characters, such as a UUID.',
    schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH },
  })
  @ApiCreatedResponse({ type: SendResponseDto, description: 'Twilio accepted the message.' })
  @ApiAcceptedResponse({
    type: HeldSendDto,
    description: 'Held for the operator: nothing is sent until the operator approves.',
  })
  @ApiErrorResponses(400, 403, 422, 429, 502, 504)
  async send(
    @Body() request: SendSmsDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SendResponseDto | HeldSendDto> {
    const outcome = await this.outbound.send(request, {
      caller: peerAddress(req),
      idempotencyKey: readIdempotencyKey(req.headers['idempotency-key']),
    });
    res.status(outcome.status);
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return outcome.body;
  }
}
