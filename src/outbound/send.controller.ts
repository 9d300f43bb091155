import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { peerAddress } from '../common/request-origin';
import { HeldSend } from '../safety/approvals.service';
import { Audited } from '../safety/audited.decorator';
import { readIdempotencyKey } from '../safety/idempotency-key';
import { RateLimited } from '../safety/rate-limited.decorator';
import { AcceptedMessage } from '../twilio/twilio.client';
import { SendSmsDto } from './dto/send-sms.dto';
import { OutboundService } from './outbound.service';

@Controller('sms')
export class SendController {
  constructor(@Inject(OutboundService) private readonly outbound: OutboundService) {}

  /** 201 sent; 202 held for the operator's approval (a first message to a new contact). */
  @Post('send')
  @HttpCode(201)
  @Audited('send')
  @RateLimited('send')
  async send(
    @Body() request: SendSmsDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AcceptedMessage | HeldSend> {
    const outcome = await this.outbound.send(request, {
      caller: peerAddress(req),
      idempotencyKey: readIdempotencyKey(req.headers['idempotency-key']),
    });
    res.status(outcome.status);
    if (outcome.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return outcome.body;
  }
}
