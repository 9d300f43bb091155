import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { validateRequest } from 'twilio';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { signedUrl } from './webhook-url';

/**
 * Only Twilio, holding our auth token, can produce X-Twilio-Signature. It fails closed:
 * no header, no form body, no URL to check against or another account all mean 403.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger('TwilioSignature');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const signature = request.headers['x-twilio-signature'];
    const url = signedUrl(request, this.config.publicBaseUrl);
    const params = request.body as Record<string, string | string[]> | undefined;
    const valid =
      typeof signature === 'string' &&
      signature.length > 0 &&
      url !== null &&
      Boolean(request.is('application/x-www-form-urlencoded')) &&
      typeof params === 'object' &&
      params !== null &&
      validateRequest(this.config.twilio.authToken, signature, url, params);
    if (!valid) {
      this.metrics.signatureFailure('invalid_signature');
      this.logger.warn(`Refused an unsigned or wrongly signed webhook to ${request.path}`);
      throw new ApiError(
        403,
        'invalid_signature',
        'The request is not signed by Twilio for this URL. If it is Twilio, check TWILIO_AUTH_TOKEN and SMS_PUBLIC_BASE_URL.',
      );
    }
    if (params.AccountSid !== this.config.twilio.accountSid) {
      this.metrics.signatureFailure('wrong_account');
      this.logger.warn(`Refused a webhook for another Twilio account to ${request.path}`);
      throw new ApiError(403, 'wrong_account', 'The webhook is for another Twilio account.');
    }
    return true;
  }
}
