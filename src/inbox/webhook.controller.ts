import { Body, Controller, Header, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { OptOutService } from '../safety/opt-out.service';
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
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  receive(@Body() params: WebhookParams): string {
    // Saved (and committed) before the 200: Twilio does not retry what we acknowledged.
    // In the same transaction, the sender is noted as having texted first and a STOP or
    // START is applied; a retried delivery (same MessageSid) is neither stored nor applied again.
    const message = parseInboundWebhook(params);
    this.database.transaction(() => {
      if (this.inbox.save(message)) this.optOut.noticeInbound(message.from, message.body);
    })();
    return EMPTY_TWIML;
  }
}
