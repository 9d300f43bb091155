import { Body, Controller, Header, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { PublicRoute } from '../safety/access/public-route.decorator';
import { RateLimitGuard } from '../safety/access/rate-limit.guard';
import { RateLimited } from '../safety/access/rate-limited.decorator';
import { readReply } from '../safety/opt-out/opt-out-keywords';
import { InboundService } from '../inbox/inbound.service';
import { parseInboundWebhook, WebhookParams } from '../inbox/inbound-webhook';
import { OperatorRepliesService } from './operator-replies.service';
import { isSignedByTwilio, TwilioSignatureGuard } from '../twilio/twilio-signature.guard';
import { WEBHOOK_PATHS } from '../twilio/webhook-paths';

/** An empty TwiML answer: received, no automatic reply. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * What uses up the webhook cap: only what Twilio signed, so unsigned posts (anyone can send
 * them, with any X-Forwarded-For) never take the room Twilio's need; and never a STOP or
 * START, which carriers require honouring and Twilio does not send again once refused.
 */
function countsAgainstCap(request: Request): boolean {
  if (!isSignedByTwilio(request)) return false;
  const body = (request.body as WebhookParams).Body;
  const keyword = typeof body === 'string' ? readReply(body).keyword : null;
  return keyword !== 'opt_out' && keyword !== 'opt_in';
}

/**
 * Twilio's "A message comes in" webhook, on every path in WEBHOOK_PATHS: a text from an
 * operator phone is a decision, any other goes to the inbox.
 */
@ApiTags('twilio-webhooks')
@Controller()
@PublicRoute()
@RateLimited('webhook', { counts: countsAgainstCap })
@UseGuards(TwilioSignatureGuard, RateLimitGuard)
export class WebhookController {
  constructor(
    @Inject(InboundService) private readonly inbound: InboundService,
    @Inject(OperatorRepliesService) private readonly operatorReplies: OperatorRepliesService,
  ) {}

  @Post(WEBHOOK_PATHS)
  @ApiOperation({
    summary: "Twilio's inbound message webhook (signed with X-Twilio-Signature)",
    description:
      'Called by Twilio, not by agents. MMS media arrive as NumMedia, MediaUrlN, MediaContentTypeN.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['MessageSid', 'AccountSid', 'From', 'To'],
      properties: {
        MessageSid: { type: 'string' },
        AccountSid: { type: 'string' },
        From: { type: 'string' },
        To: { type: 'string' },
        Body: { type: 'string' },
        NumMedia: { type: 'string', example: '1' },
        MediaUrl0: { type: 'string' },
        MediaContentType0: { type: 'string', example: 'image/jpeg' },
      },
    },
  })
  @ApiProduces('text/xml')
  @ApiOkResponse({
    description: 'Stored; an empty TwiML answer (no automatic reply).',
    schema: { type: 'string', example: EMPTY_TWIML },
  })
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  async receive(@Body() params: WebhookParams): Promise<string> {
    const message = parseInboundWebhook(params);
    // An operator's phone texts codes: never stored where the agent or the push can read them.
    if (this.operatorReplies.isOperator(message.from)) {
      await this.operatorReplies.receive(message);
    } else {
      // Saved (and committed) before the 200: Twilio does not retry what we acknowledged.
      await this.inbound.receive(message);
    }
    return EMPTY_TWIML;
  }
}
