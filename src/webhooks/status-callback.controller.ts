import { Body, Controller, HttpCode, Inject, Logger, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-error-response.dto';
import { isSignedByTwilio, TwilioSignatureGuard } from '../twilio/twilio-signature.guard';
import { STATUS_CALLBACK_PATHS } from '../twilio/webhook-paths';
import { PublicRoute } from '../safety/access/public-route.decorator';
import { RateLimitGuard } from '../safety/access/rate-limit.guard';
import { RateLimited } from '../safety/access/rate-limited.decorator';
import { OperatorSender } from '../operator-texts/operator-sender';
import { movesForward } from '../outbound/delivery-status';
import { OutboxService } from '../outbound/outbox.service';
import { CallbackParams, parseStatusCallback } from '../outbound/status-callback';

/**
 * Twilio's StatusCallback for the messages the bridge sent, the agent's and the operator
 * texts. Served on both paths, like
 * the inbound webhook, because Caddy forwards the path unchanged. Callbacks for messages
 * the bridge does not know, or that already moved past that status, are acknowledged and
 * ignored: an error would only make Twilio retry them.
 */
@ApiTags('twilio-webhooks')
@Controller()
@PublicRoute()
// Only what Twilio signed uses up the cap: unsigned posts must not crowd out real callbacks.
@RateLimited('webhook', { counts: isSignedByTwilio })
@UseGuards(TwilioSignatureGuard, RateLimitGuard)
export class StatusCallbackController {
  private readonly logger = new Logger('StatusCallback');

  constructor(
    @Inject(OutboxService) private readonly outbox: OutboxService,
    @Inject(OperatorSender) private readonly operatorTexts: OperatorSender,
  ) {}

  @Post(STATUS_CALLBACK_PATHS)
  @HttpCode(204)
  @ApiOperation({
    summary: "Twilio's delivery status callback (signed with X-Twilio-Signature)",
    description: 'Called by Twilio, not by agents.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['MessageSid', 'MessageStatus', 'AccountSid'],
      properties: {
        MessageSid: { type: 'string', example: 'SM0123456789abcdef0123456789abcdef' },
        MessageStatus: { type: 'string', example: 'delivered' },
        AccountSid: { type: 'string' },
        ErrorCode: { type: 'string', example: '30007' },
        From: { type: 'string' },
        To: { type: 'string' },
      },
    },
  })
  @ApiNoContentResponse({ description: 'Recorded, or acknowledged and ignored.' })
  @ApiErrorResponses(400, 403)
  async receive(@Body() params: CallbackParams): Promise<void> {
    const update = parseStatusCallback(params);
    // The bridge's own texts to the operator's phones are kept apart from the agent's.
    let result = await this.outbox.applyStatus(update);
    if (result === 'unknown_message') {
      result = await this.operatorTexts.applyStatus(update, movesForward);
    }
    if (result === 'unknown_message') {
      this.logger.warn(`Ignored a status callback for unknown message ${update.sid}`);
    } else if (result === 'stale') {
      this.logger.log(`Ignored status ${update.status} for ${update.sid}: it is past that`);
    }
  }
}
