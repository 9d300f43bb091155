import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from 'libphonenumber-js/max';

/** Why digits cannot be anyone's phone number: a typo the caller can fix and retry. */
export type NumberProblem = 'too_short' | 'too_long' | 'invalid_length' | 'unknown_country_code';

/**
 * What an E.164 number is, by Google's libphonenumber metadata (the "max" set, which knows
 * each country's number ranges and types): enough to refuse SMS pumping (texts run up to
 * premium-rate or far-away numbers) before Twilio is called.
 */
export type NumberOrigin =
  /** Too few digits for any country's subscriber number: a short code written with a plus. */
  | { kind: 'short_code' }
  | { kind: 'malformed'; problem: NumberProblem; country: string | null }
  | {
      kind: 'number';
      /** ISO 3166-1 alpha-2, or null for non-geographic codes (satellite, +882, +883). */
      country: string | null;
      /** Premium-rate or shared-cost: the callee is paid for what it receives. */
      premium: boolean;
    };

/**
 * No phone number anywhere has fewer than 7 digits with its country code (Niue and Saint
 * Helena: 3 and 4), so 6 or fewer are a short code written with a plus.
 */
const MAX_SHORT_CODE_DIGITS = 6;

const PROBLEMS: Partial<Record<string, NumberProblem>> = {
  TOO_SHORT: 'too_short',
  TOO_LONG: 'too_long',
  INVALID_COUNTRY: 'unknown_country_code',
};

export function numberOrigin(e164: string): NumberOrigin {
  if (e164.replace(/^\+/, '').length <= MAX_SHORT_CODE_DIGITS) return { kind: 'short_code' };
  const parsed = parsePhoneNumberFromString(e164);
  const lengthProblem = validatePhoneNumberLength(e164);
  if (lengthProblem !== undefined || parsed === undefined) {
    return {
      kind: 'malformed',
      problem: PROBLEMS[lengthProblem ?? 'INVALID_COUNTRY'] ?? 'invalid_length',
      country: parsed?.country ?? null,
    };
  }
  const type = parsed.getType();
  return {
    kind: 'number',
    // A number of a possible length that matches no range (fictional 555 numbers, ranges
    // newer than the metadata) is placed in its calling code's main country, listed first,
    // and Twilio decides whether it exists.
    country: parsed.country ?? parsed.getPossibleCountries()[0] ?? null,
    premium: type === 'PREMIUM_RATE' || type === 'SHARED_COST',
  };
}

/** Whether `code` is an ISO 3166-1 alpha-2 country the metadata can place numbers in. */
export function isKnownCountry(code: string): boolean {
  return isSupportedCountry(code);
}

/**
 * The allowlist when SMS_ALLOWED_COUNTRIES is unset: the sender number's country, with
 * the US and Canada together (domestic to each other on the NANP), and US,CA when the
 * sender has no country (a non-geographic number).
 */
export function defaultAllowedCountries(senderNumber: string): string[] {
  const origin = numberOrigin(senderNumber);
  const country = origin.kind === 'short_code' ? null : origin.country;
  if (country === null || country === 'US' || country === 'CA') return ['US', 'CA'];
  return [country];
}
