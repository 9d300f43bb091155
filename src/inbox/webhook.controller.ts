import { Body, Controller, Header, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { PublicRoute } from '../safety/public-route.decorator';
import { InboundService } from './inbound.service';
import { parseInboundWebhook, WebhookParams } from './inbound-webhook';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { WEBHOOK_PATHS } from './webhook-paths';

/** An empty TwiML answer: received, no automatic reply. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** Twilio's "A message comes in" webhook, on every path in WEBHOOK_PATHS. */
@Controller()
@PublicRoute()
@UseGuards(TwilioSignatureGuard)
export class WebhookController {
  constructor(@Inject(InboundService) private readonly inbound: InboundService) {}

  @Post(WEBHOOK_PATHS)
  @HttpCode(200)
  @Header('Content-Type', 'text/xml; charset=utf-8')
  receive(@Body() params: WebhookParams): string {
    // Saved (and committed) before the 200: Twilio does not retry what we acknowledged.
    this.inbound.receive(parseInboundWebhook(params));
    return EMPTY_TWIML;
  }
}
