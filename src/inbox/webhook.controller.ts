import { Body, Controller, Header, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { OptOutService } from '../safety/opt-out.service';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicRoute } from '../safety/public-route.decorator';
import { RateLimited } from '../safety/rate-limited.decorator';
import { Database } from '../storage/database';
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
@RateLimited('webhook')
@UseGuards(TwilioSignatureGuard)
export class WebhookController {
  constructor(
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(OptOutService) private readonly optOut: OptOutService,
    @Inject(Database) private readonly database: Database,
  ) {}

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
    // With the STOP/START it may carry, in one transaction: a retried delivery is neither.
    const message = parseInboundWebhook(params);
    this.database.transaction(() => {
      if (this.inbox.save(message)) this.optOut.noticeInbound(message.from, message.body);
    })();
    return EMPTY_TWIML;
  }
}
