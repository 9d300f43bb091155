import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { validateRequest } from 'twilio';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { signedUrl } from './webhook-url';
import { WebhookUrlCheck } from './webhook-url.check';

/** Requests whose signature and account this guard accepted. */
const verified = new WeakSet<Request>();

/** Whether TwilioSignatureGuard has accepted the request: it is Twilio's, for our account. */
export function isSignedByTwilio(request: Request): boolean {
  return verified.has(request);
}

/** HMAC-SHA1 in base64: 20 bytes are always 28 characters, the last one `=`. */
const SIGNATURE_FORMAT = /^[A-Za-z0-9+/]{27}=$/;

/**
 * Only Twilio, holding our auth token, can produce X-Twilio-Signature. Every webhook is
 * checked; there is no switch that skips it. It fails closed: a missing, empty, malformed
 * or wrong signature, no auth token, no form body, no URL to check against, or a URL the
 * SDK cannot parse all mean 403 invalid_signature; another account means 403 wrong_account.
 */
@Injectable()
export class TwilioSignatureGuard implements CanActivate {
  private readonly logger = new Logger('TwilioSignature');

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(WebhookUrlCheck) private readonly webhookUrl: WebhookUrlCheck,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const params = request.body as Record<string, string | string[]> | undefined;
    const learned = this.webhookUrl.signedUrlFor(request.path);
    if (learned instanceof ApiError) {
      this.metrics.signatureFailure('invalid_signature');
      this.logger.warn(
        `Refused a webhook to ${request.path}: SMS_PUBLIC_BASE_URL is unset and Twilio has not said which URL it signs (see /health/ready)`,
      );
      throw learned;
    }
    if (!this.signedByTwilio(request, params, learned)) {
      // The path only: a query string or the signature could carry secrets.
      this.metrics.signatureFailure('invalid_signature');
      this.logger.warn(`Refused an unsigned or wrongly signed webhook to ${request.path}`);
      throw new ApiError(
        'invalid_signature',
        'The request is not signed by Twilio for this URL. If it is Twilio, check TWILIO_AUTH_TOKEN and SMS_PUBLIC_BASE_URL.',
      );
    }
    if (params.AccountSid !== this.config.twilio.accountSid) {
      this.metrics.signatureFailure('wrong_account');
      this.logger.warn(`Refused a webhook for another Twilio account to ${request.path}`);
      throw new ApiError('wrong_account', 'The webhook is for another Twilio account.');
    }
    verified.add(request);
    return true;
  }

  private signedByTwilio(
    request: Request,
    params: Record<string, string | string[]> | undefined,
    learnedUrl: string | undefined,
  ): params is Record<string, string | string[]> {
    const authToken = this.config.twilio.authToken;
    const signature = request.headers['x-twilio-signature'];
    const url = learnedUrl ?? signedUrl(request, this.config.publicBaseUrl);
    if (!authToken || typeof signature !== 'string' || !SIGNATURE_FORMAT.test(signature)) {
      return false;
    }
    if (url === null || !request.is('application/x-www-form-urlencoded')) return false;
    if (typeof params !== 'object' || params === null) return false;
    try {
      return validateRequest(authToken, signature, url, params);
    } catch {
      // validateRequest falls back to `new URL(url)`, which throws on a garbled Host.
      return false;
    }
  }
}
