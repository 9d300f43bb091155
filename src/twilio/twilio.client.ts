import { RestException, Twilio } from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import { ApiError } from '../common/api-error';
import type { TwilioSettings } from '../config/app-config';
import type { MetricsService } from '../metrics/metrics.service';
import type { AcceptedMessage } from './accepted-message';
import { BaseUrlRequestClient } from './base-url-request-client';
import { twilioErrorToApiError } from './twilio-errors';

export type { AcceptedMessage };

export interface OutgoingMessage {
  to: string;
  body: string;
  /** Public https URLs Twilio fetches and sends as MMS. */
  mediaUrl?: string[];
}

/** The account behind the credentials, as Twilio's Accounts API describes it. */
export interface TwilioAccount {
  type: 'Trial' | 'Full';
  status: string;
}

/** Where Twilio posts the sender's inbound texts, and which setting says so. */
export interface InboundWebhook {
  /** Null when no URL is set. */
  url: string | null;
  /** `unknown_number`: TWILIO_PHONE_NUMBER is not among the account's numbers. */
  source: 'phone_number' | 'messaging_service' | 'unknown_number';
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/** The one Twilio SDK client of the process; failures come out as ApiErrors. */
export class TwilioClient {
  private readonly client: Twilio;
  /** Where Twilio posts delivery status: configured, or learned by WebhookUrlCheck. */
  private statusCallbackUrl: string | undefined;

  constructor(
    private readonly settings: TwilioSettings,
    private readonly metrics: MetricsService,
  ) {
    const options: RequestClient.RequestClientOptions = {
      timeout: settings.timeoutMs,
      keepAlive: true,
      // The SDK retries only 429 answers, with exponential backoff.
      autoRetry: true,
      maxRetries: 3,
    };
    const httpClient = settings.apiBaseUrl
      ? new BaseUrlRequestClient(settings.apiBaseUrl, options)
      : new RequestClient(options);
    this.client = new Twilio(settings.accountSid, settings.authToken, { httpClient });
    this.statusCallbackUrl = settings.statusCallbackUrl;
  }

  /** The sender as far as the bridge knows before Twilio answers. */
  get from(): string {
    return this.settings.phoneNumber ?? this.settings.messagingServiceSid!;
  }

  /** The delivery-callback URL learned from Twilio, when none is configured. */
  learnStatusCallbackUrl(url: string | undefined): void {
    this.statusCallbackUrl = this.settings.statusCallbackUrl ?? url;
  }

  async send(message: OutgoingMessage): Promise<AcceptedMessage> {
    try {
      const sent = await this.metrics.timeTwilio('messages.create', () =>
        this.client.messages.create({
          to: message.to,
          // With both, Twilio sends from this number under the service's rules.
          from: this.settings.phoneNumber,
          messagingServiceSid: this.settings.messagingServiceSid,
          body: message.body || undefined,
          mediaUrl: message.mediaUrl?.length ? message.mediaUrl : undefined,
          statusCallback: this.statusCallbackUrl,
          // Twilio fails the message instead of charging more than this (SMS pumping defence).
          ...(this.settings.maxPrice ? { maxPrice: Number(this.settings.maxPrice) } : {}),
        }),
      );
      return {
        sid: sent.sid,
        status: sent.status,
        to: sent.to,
        // A Messaging Service picks the number after accepting: `from` is null until then.
        from: sent.from ?? this.from,
        segments: Number(sent.numSegments) || 1,
        messagingServiceSid: sent.messagingServiceSid ?? null,
        createdAt: (sent.dateCreated ?? new Date()).toISOString(),
      };
    } catch (error) {
      throw toApiError(error);
    }
  }

  /** Proves the credentials work and says what kind of account they open. */
  async fetchAccount(): Promise<TwilioAccount> {
    try {
      const account = await this.metrics.timeTwilio('accounts.fetch', () =>
        this.client.api.v2010.accounts(this.settings.accountSid).fetch(),
      );
      return { type: account.type, status: account.status };
    } catch (error) {
      throw toApiError(error);
    }
  }

  /**
   * The URL Twilio calls (and signs) for the sender's inbound texts: the Messaging Service's
   * inbound request URL, unless the service defers to the number's own webhook, which is the
   * number's SmsUrl in IncomingPhoneNumbers.
   */
  async fetchInboundWebhook(): Promise<InboundWebhook> {
    const { messagingServiceSid, phoneNumber } = this.settings;
    try {
      if (messagingServiceSid) {
        const service = await this.metrics.timeTwilio('services.fetch', () =>
          this.client.messaging.v1.services(messagingServiceSid).fetch(),
        );
        if (!service.useInboundWebhookOnNumber || !phoneNumber) {
          return { url: service.inboundRequestUrl || null, source: 'messaging_service' };
        }
      }
      const [number] = await this.metrics.timeTwilio('incomingPhoneNumbers.list', () =>
        this.client.incomingPhoneNumbers.list({ phoneNumber, limit: 1 }),
      );
      if (!number) return { url: null, source: 'unknown_number' };
      return { url: number.smsUrl || null, source: 'phone_number' };
    } catch (error) {
      throw toApiError(error);
    }
  }
}

function toApiError(error: unknown): ApiError {
  if (error instanceof RestException) {
    return twilioErrorToApiError(error.code, error.message, error.moreInfo);
  }
  const code = (error as { code?: string }).code;
  if (code && TIMEOUT_CODES.has(code)) {
    return new ApiError(
      'twilio_timeout',
      'Twilio did not answer in time. The message may or may not have been sent; check the outbox before retrying.',
    );
  }
  return new ApiError(
    'twilio_unreachable',
    'The bridge could not reach Twilio. Check the network and retry.',
  );
}
