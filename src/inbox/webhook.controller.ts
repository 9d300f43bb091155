import { Body, Controller, Header, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicRoute } from '../safety/public-route.decorator';
import { InboxRepository } from './inbox.repository';
import { parseInboundWebhook, WebhookParams } from './inbound-webhook';
import { TwilioSignatureGuard } from './twilio-signature.guard';

/** An empty TwiML answer: received, no automatic reply. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * Twilio's "A message comes in" webhook. Served on both paths because Caddy's
 * `handle /api/sms` forwards the path unchanged.
 */
@ApiTags('twilio-webhooks')
@Controller()
@PublicRoute()
@UseGuards(TwilioSignatureGuard)
export class WebhookController {
  constructor(@Inject(InboxRepository) private readonly inbox: InboxRepository) {}

  @Post(['sms/webhook', 'api/sms'])
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
  @ApiOkResponse({ description: 'Stored; an empty TwiML answer (no automatic reply).' })
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  receive(@Body() params: WebhookParams): string {
    // Saved (and committed) before the 200: Twilio does not retry what we acknowledged.
    this.inbox.save(parseInboundWebhook(params));
    return EMPTY_TWIML;
  }
}
