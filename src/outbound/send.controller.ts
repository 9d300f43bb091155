import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { peerAddress } from '../common/request-origin';
import { HeldSend } from '../safety/approvals/approvals.service';
import { Audited } from '../safety/audit/audited.decorator';
import { readIdempotencyKey } from './idempotency-key';
import { RateLimited } from '../safety/access/rate-limited.decorator';
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
  @ApiCreatedResponse({ type: SendResponseDto })
  @ApiAcceptedResponse({
    description: 'Held for the operator: {status: "awaiting_approval", approvalId, to}',
  })
  @ApiErrorResponses(400, 403, 422, 429, 502, 504)
  async send(
    @Body() request: SendSmsDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SendResponseDto | HeldSend> {
    const outcome = await this.outbound.send(request, {
      caller: peerAddress(req),
      idempotencyKey: readIdempotencyKey(req.headers['idempotency-key']),
    });
    res.status(outcome.status);
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return outcome.body;
  }
}
