import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { peerAddress } from '../common/request-origin';
import { Audited } from '../safety/audit/audited.decorator';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../safety/message/message-limits';
import { readIdempotencyKey } from './idempotency-key';
import { RateLimited } from '../safety/access/rate-limited.decorator';
import { HeldSendDto } from './dto/held-send.dto';
import { SendResponseDto } from './dto/send-response.dto';
import { SendSmsDto } from './dto/send-sms.dto';
import { ScheduledAnswerDto } from '../schedule/dto/scheduled-answer.dto';
import { OutboundService } from './outbound.service';

@ApiTags('messages')
@ApiExtraModels(HeldSendDto, ScheduledAnswerDto)
@Controller('sms')
export class SendController {
  constructor(@Inject(OutboundService) private readonly outbound: OutboundService) {}

  @Post('send')
  @HttpCode(201)
  @Audited('send', { attemptJoinsFirstCommit: true })
  @RateLimited('send')
  @ApiOperation({
    summary: 'Send an SMS (or MMS with mediaUrl) through Twilio',
    description:
      "A first send to a number nobody approved is held (202 awaiting_approval). Refused 400 body_too_long over 10 segments, before Twilio is called. Follow delivery with GET /sms/messages/{sid}. With sendAt it goes out then (202 scheduled); a send that would land in the recipient's quiet hours (SMS_QUIET_HOURS, on their local clock) is deferred to the end of them (202 scheduled, reason quiet_hours) or refused 409 quiet_hours with allowedAt (SMS_QUIET_HOURS_MODE=refuse), unless it answers their own text of the last SMS_QUIET_HOURS_REPLY_MINUTES.",
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'Makes retries safe: a repeat with the same key and request within 24 h answers the first answer again (with Idempotent-Replayed: true) instead of sending twice. 1 to 255 printable ASCII characters, such as a UUID.',
    schema: { type: 'string', minLength: 1, maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
  })
  @ApiCreatedResponse({ type: SendResponseDto, description: 'Twilio accepted the message.' })
  @ApiAcceptedResponse({
    description:
      'Held for the operator (awaiting_approval: nothing is sent until the operator approves; a send for later keeps its id and sendAt and is scheduled once approved), or scheduled for later (scheduled: sendAt, and reason quiet_hours when the bridge moved it).',
    schema: {
      oneOf: [{ $ref: getSchemaPath(HeldSendDto) }, { $ref: getSchemaPath(ScheduledAnswerDto) }],
    },
  })
  @ApiErrorResponses(400, 403, 409, 422, 429, 502, 504)
  async send(
    @Body() request: SendSmsDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SendResponseDto | HeldSendDto | ScheduledAnswerDto> {
    const outcome = await this.outbound.send('agent_send', request, {
      caller: peerAddress(req),
      idempotencyKey: readIdempotencyKey(req.headers['idempotency-key']),
    });
    res.status(outcome.status);
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return outcome.body;
  }
}
