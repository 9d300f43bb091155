import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { TwilioAccount, TwilioClient } from './twilio.client';

export interface TwilioAccountStatus {
  ok: boolean;
  /** When Twilio last answered (or failed to); null while the first call is under way. */
  checkedAt: string | null;
  account?: TwilioAccount;
  /** What a trial account cannot do, as the seed explains it. */
  trialLimits?: string[];
  problem?: string;
  code?: string;
}

export const TRIAL_LIMITS = [
  'Messages can only be sent to numbers verified in the Twilio console (Phone Numbers, Verified Caller IDs).',
  'Every outbound message is prefixed with "Sent from your Twilio trial account".',
  'The trial credit (about $15) runs out; upgrade the account to lift these limits.',
];

/** Twilio answered and the answer will not change until the configuration does. */
const FINAL_CODES = new Set(['twilio_auth_failed']);
const RETRY_MS = 60_000;

/**
 * Verifies the credentials once at boot by fetching the Account resource, so readiness can
 * say whether they work and whether the account is a trial without calling Twilio on every
 * probe. Only a failure to reach Twilio is retried, once a minute.
 */
@Injectable()
export class TwilioAccountCheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Twilio');
  private current: TwilioAccountStatus = {
    ok: false,
    checkedAt: null,
    problem: 'The Twilio credentials are being verified.',
  };
  private firstCheck: Promise<void> = Promise.resolve();
  private retry?: NodeJS.Timeout;

  constructor(@Inject(TwilioClient) private readonly twilio: TwilioClient) {}

  onApplicationBootstrap(): void {
    this.firstCheck = this.verify();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.retry);
  }

  /** The verdict, after the first check has finished (bounded by TWILIO_TIMEOUT_MS). */
  async status(): Promise<TwilioAccountStatus> {
    await this.firstCheck;
    return this.current;
  }

  private async verify(): Promise<void> {
    try {
      const account = await this.twilio.fetchAccount();
      const active = account.status === 'active';
      this.current = {
        ok: active,
        checkedAt: new Date().toISOString(),
        account,
        ...(account.type === 'Trial' ? { trialLimits: TRIAL_LIMITS } : {}),
        ...(active
          ? {}
          : {
              problem: `The Twilio account is ${account.status}; it cannot send. Check it in the Twilio console.`,
            }),
      };
      if (account.type === 'Trial') {
        this.logger.warn(`Twilio trial account: ${TRIAL_LIMITS.join(' ')}`);
      }
    } catch (error) {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError('twilio_unreachable', 'The bridge could not reach Twilio.');
      this.current = {
        ok: false,
        checkedAt: new Date().toISOString(),
        code: apiError.code,
        problem: apiError.body.error.message,
      };
      this.logger.error(`Twilio credentials not verified: ${apiError.body.error.message}`);
      if (!FINAL_CODES.has(apiError.code)) {
        this.retry = setTimeout(() => void this.verify(), RETRY_MS);
        this.retry.unref();
      }
    }
  }
}
