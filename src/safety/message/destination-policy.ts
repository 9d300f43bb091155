import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { numberOrigin } from '../../common/phone-country';
import { AppConfig } from '../../config/app-config';

/**
 * Refuses destinations that SMS pumping fraud runs up bills with: countries the operator
 * did not allow (SMS_ALLOWED_COUNTRIES), premium-rate ranges and short codes. It runs
 * before anything else in the send path, so a refused number is never stored or sent.
 * https://www.twilio.com/docs/messaging/guides/sms-pumping-fraud
 */
@Injectable()
export class DestinationPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.allowed = new Set(config.allowedCountries);
    const maxPrice = config.twilio.maxPrice ? `, MaxPrice ${config.twilio.maxPrice} USD` : '';
    new Logger('Destinations').log(
      `Texts may go to ${[...this.allowed].join(',')} (SMS_ALLOWED_COUNTRIES)${maxPrice}`,
    );
  }

  /** Throws 403 destination_not_allowed unless the bridge may text `to`. */
  check(to: string): void {
    const { country, premium, short } = numberOrigin(to);
    if (short) {
      refuse(
        'short_code',
        'The number is a short code or not a complete phone number; the bridge texts only full E.164 numbers.',
      );
    }
    if (premium) {
      refuse('premium_rate', 'The number is a premium-rate number; the bridge never texts those.');
    }
    if (country === null || !this.allowed.has(country)) {
      const allowed = [...this.allowed].join(',');
      const where = country ? `The number is in ${country}` : 'The number’s country is unknown';
      refuse(
        'country_not_allowed',
        `${where}; texts may go only to SMS_ALLOWED_COUNTRIES (${allowed}), which the operator sets in the env file.`,
        country,
      );
    }
  }
}

function refuse(reason: string, message: string, country: string | null = null): never {
  throw new ApiError('destination_not_allowed', message, { reason, country });
}
