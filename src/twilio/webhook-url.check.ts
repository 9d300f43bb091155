import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Kysely } from 'kysely';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { Store } from '../storage/store';
import { TwilioClient } from './twilio.client';
import { STATUS_CALLBACK_PATHS, WEBHOOK_PATHS } from './webhook-paths';
import { StoredInboundWebhook, WebhookUrlRepository } from './webhook-url.repository';

const REFRESH_MS = 10 * 60_000;

export interface WebhookUrlStatus {
  ok: boolean;
  /** The URL Twilio calls for inbound texts, as Twilio last said; null when unset or unknown. */
  url: string | null;
  checkedAt: string | null;
  problem?: string;
}

/** The delivery-callback sibling of an inbound webhook URL, as the bridge's paths pair them. */
export function statusCallbackSibling(inboundUrl: string): string {
  const url = new URL(inboundUrl);
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/webhook\/?$/, '').replace(/\/+$/, '') + '/status';
  return url.toString();
}

function normalizedPath(url: string): string {
  return new URL(url).pathname.toLowerCase().replace(/\/+$/, '') || '/';
}

/**
 * In production without SMS_PUBLIC_BASE_URL, the URL Twilio signs is learned from Twilio:
 * where the sender's "A message comes in" webhook points. A URL built from the request's
 * Host would accept a request Twilio signed for another endpoint of the same account,
 * replayed here. The last answer is kept in the database, so a restart does not depend on
 * Twilio's API, and asked again every ten minutes. Inactive (the Host-derived URL, for
 * development and tests) when SMS_PUBLIC_BASE_URL is set or outside production.
 */
@Injectable()
export class WebhookUrlCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Twilio');
  private current?: StoredInboundWebhook;
  private refresh?: NodeJS.Timeout;
  private firstCheck: Promise<void> = Promise.resolve();
  readonly active: boolean;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    @Inject(TwilioClient) private readonly twilio: TwilioClient,
    @Inject(WebhookUrlRepository) private readonly repository: WebhookUrlRepository,
    @Inject(Kysely) private readonly store: Store,
  ) {
    this.active = config.production && !config.publicBaseUrl && config.mode === 'twilio';
  }

  /** The app serves once the kept answer is read: signatures are checked against it at once. */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.active) return;
    this.current = await this.repository.last(this.store);
    this.learnCallbacks();
    this.firstCheck = this.ask();
    this.refresh = setInterval(() => void this.ask(), REFRESH_MS);
    this.refresh.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.refresh);
  }

  /**
   * The URL Twilio signed a request to `path` for, or an ApiError saying why it is not
   * known; undefined when inactive (the caller derives it from the request).
   */
  signedUrlFor(path: string): string | ApiError | undefined {
    if (!this.active) return undefined;
    const url = this.current?.url;
    if (!url) {
      return new ApiError(
        'invalid_signature',
        'The bridge does not know yet which URL Twilio signs: set SMS_PUBLIC_BASE_URL, or point the number’s webhook at this bridge in the Twilio console.',
      );
    }
    const status = STATUS_CALLBACK_PATHS.includes(path.toLowerCase().replace(/\/+$/, '') || '/');
    return status ? statusCallbackSibling(url) : url;
  }

  /** For readiness: whether Twilio's webhook for the sender is set and reaches the bridge. */
  async status(): Promise<WebhookUrlStatus | undefined> {
    if (!this.active) return undefined;
    await this.firstCheck;
    const known = this.current;
    const base = { url: known?.url ?? null, checkedAt: known?.checkedAt ?? null };
    const problem = this.problem(known);
    return problem ? { ok: false, ...base, problem } : { ok: true, ...base };
  }

  private problem(known: StoredInboundWebhook | undefined): string | undefined {
    if (!known) return 'Twilio has not said yet where the sender’s inbound webhook points.';
    if (known.source === 'unknown_number') {
      return 'TWILIO_PHONE_NUMBER is not a phone number of this Twilio account.';
    }
    if (!known.url) {
      return 'The sender’s inbound webhook is not set in Twilio: set "A message comes in" to https://yourdomain.com/api/sms (HTTP POST).';
    }
    if (!WEBHOOK_PATHS.includes(normalizedPath(known.url))) {
      return `The sender’s inbound webhook points at ${known.url}, not at this bridge’s /api/sms: texts will not arrive here.`;
    }
    return undefined;
  }

  /** Delivery callbacks go to the /status sibling of a webhook that reaches this bridge. */
  private learnCallbacks(): void {
    const url = this.current?.url;
    this.twilio.learnStatusCallbackUrl(
      url && !this.problem(this.current) ? statusCallbackSibling(url) : undefined,
    );
  }

  private async ask(): Promise<void> {
    try {
      const answer = await this.twilio.fetchInboundWebhook();
      this.current = { ...answer, checkedAt: new Date().toISOString() };
      await this.repository.save(this.store, this.current);
      this.learnCallbacks();
      if (!answer.url) {
        this.logger.error(
          'Webhooks are refused: SMS_PUBLIC_BASE_URL is unset and Twilio says the sender’s inbound webhook is not set, so the URL Twilio signs is unknown.',
        );
      }
    } catch (error) {
      const message = error instanceof ApiError ? error.body.error.message : String(error);
      this.logger.error(
        this.current?.url
          ? `Could not ask Twilio where the inbound webhook points (${message}); still checking signatures against ${this.current.url}.`
          : `Webhooks are refused until Twilio says where the inbound webhook points (SMS_PUBLIC_BASE_URL is unset): ${message}`,
      );
    }
  }
}
