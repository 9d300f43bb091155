import { Body, Controller, Header, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
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
@Controller()
@PublicRoute()
@UseGuards(TwilioSignatureGuard)
export class WebhookController {
  constructor(
    @Inject(InboxRepository) private readonly inbox: InboxRepository,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  @Post(['sms/webhook', 'api/sms'])
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  receive(@Body() params: WebhookParams): string {
    // Saved (and committed) before the 200: Twilio does not retry what we acknowledged.
    this.metrics.inboundMessage(this.inbox.save(parseInboundWebhook(params)));
    return EMPTY_TWIML;
  }
}
