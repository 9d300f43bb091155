import { Body, Controller, Header, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { PublicRoute } from '../safety/access/public-route.decorator';
import { RateLimited } from '../safety/access/rate-limited.decorator';
import { InboundService } from './inbound.service';
import { parseInboundWebhook, WebhookParams } from './inbound-webhook';
import { TwilioSignatureGuard } from '../twilio/twilio-signature.guard';
import { WEBHOOK_PATHS } from '../twilio/webhook-paths';

/** An empty TwiML answer: received, no automatic reply. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio's "A message comes in" webhook, on every path in WEBHOOK_PATHS. */
@ApiTags('twilio-webhooks')
@Controller()
@PublicRoute()
@RateLimited('webhook')
@UseGuards(TwilioSignatureGuard)
export class WebhookController {
  constructor(@Inject(InboundService) private readonly inbound: InboundService) {}

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
    // Saved (and committed) before the 200: Twilio does not retry what we acknowledged.
    await this.inbound.receive(parseInboundWebhook(params));
    return EMPTY_TWIML;
  }
}
