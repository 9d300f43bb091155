import { Inject, Injectable, Logger } from '@nestjs/common';
import { ApiError } from '../../common/api-error';
import { NumberProblem, numberOrigin } from '../../common/phone-country';
import { AppConfig } from '../../config/app-config';

/**
 * Refuses destinations that SMS pumping fraud runs up bills with: countries the operator
 * did not allow (SMS_ALLOWED_COUNTRIES), premium-rate and shared-cost numbers and short
 * codes, by libphonenumber's metadata. A number of a possible length that matches no known
 * range (Twilio's magic +1500555xxxx, fictional 555 numbers) goes on: Twilio decides.
 * It runs before anything else in the send path, so a refused number is never stored or sent.
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

  /**
   * Throws 403 destination_not_allowed unless the bridge may text `to`, and 400
   * invalid_recipient when `to` cannot be a phone number (a typo the caller can fix).
   */
  check(to: string): void {
    const origin = numberOrigin(to);
    if (origin.kind === 'short_code') {
      refuse(
        'short_code',
        'The number is a short code; the bridge texts only full E.164 phone numbers.',
      );
    }
    if (origin.kind === 'malformed') {
      throw new ApiError('invalid_recipient', MALFORMED[origin.problem], {
        reason: origin.problem,
        country: origin.country,
      });
    }
    const { country, premium } = origin;
    if (premium) {
      refuse(
        'premium_rate',
        'The number is a premium-rate or shared-cost number; the bridge never texts those.',
        country,
      );
    }
    if (country === null || !this.allowed.has(country)) {
      const allowed = [...this.allowed].join(',');
      const where = country
        ? `The number is in ${country}`
        : 'The number belongs to no country (a satellite or global service)';
      refuse(
        'country_not_allowed',
        `${where}; texts may go only to SMS_ALLOWED_COUNTRIES (${allowed}), which the operator sets in the env file.`,
        country,
      );
    }
  }
}

const MALFORMED: Record<NumberProblem, string> = {
  too_short:
    'The number has too few digits for its country; check the number (E.164: + country code, area code, number).',
  too_long: 'The number has too many digits for its country; check the number.',
  invalid_length: 'The number has a length no number of its country has; check the number.',
  unknown_country_code: 'No country has this calling code; check the number.',
};

function refuse(reason: string, message: string, country: string | null = null): never {
  throw new ApiError('destination_not_allowed', message, { reason, country });
}
