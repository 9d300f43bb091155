/**
 * Where an E.164 number rings, from its prefix alone: enough to refuse SMS pumping
 * (texts run up to premium-rate or far-away numbers) before Twilio is called. It knows
 * the common destinations; a number it cannot place has no country and is refused by
 * any allowlist.
 */
export interface NumberOrigin {
  /** ISO 3166-1 alpha-2, or null when the prefix is not in the table. */
  country: string | null;
  /** A premium-rate or revenue-share range: the callee is paid for what it receives. */
  premium: boolean;
  /** Too few digits to be a subscriber number: a short code or a truncated number. */
  short: boolean;
}

/**
 * The North American Numbering Plan shares +1 among 25 countries and territories; the
 * area code says which. Everything not listed here (and not Canada) is the United States,
 * including non-geographic codes such as toll-free 8xx and 500 (Twilio's test numbers).
 * https://nationalnanpa.com/area_codes/
 */
// prettier-ignore
const NANP_OUTSIDE_US: Record<string, string> = {
  '242': 'BS', '246': 'BB', '264': 'AI', '268': 'AG', '284': 'VG', '340': 'VI', '345': 'KY',
  '441': 'BM', '473': 'GD', '649': 'TC', '658': 'JM', '664': 'MS', '670': 'MP', '671': 'GU',
  '684': 'AS', '721': 'SX', '758': 'LC', '767': 'DM', '784': 'VC', '787': 'PR', '809': 'DO',
  '829': 'DO', '849': 'DO', '868': 'TT', '869': 'KN', '876': 'JM', '939': 'PR',
};

const CANADA_AREA_CODES = new Set(
  (
    '204 226 236 249 250 257 263 289 306 343 354 365 367 368 382 387 403 416 418 428 431 ' +
    '437 438 450 460 468 474 506 514 519 548 579 581 584 587 600 604 613 622 639 647 672 ' +
    '683 705 709 742 753 778 780 782 807 819 825 867 873 879 902 905 942'
  ).split(' '),
);

/** Country calling codes outside the NANP; the longest matching prefix wins. */
// prettier-ignore
const CALLING_CODES: Record<string, string> = {
  '20': 'EG', '27': 'ZA', '30': 'GR', '31': 'NL', '32': 'BE', '33': 'FR', '34': 'ES',
  '36': 'HU', '39': 'IT', '40': 'RO', '41': 'CH', '43': 'AT', '44': 'GB', '45': 'DK',
  '46': 'SE', '47': 'NO', '48': 'PL', '49': 'DE', '51': 'PE', '52': 'MX', '54': 'AR',
  '55': 'BR', '56': 'CL', '57': 'CO', '60': 'MY', '61': 'AU', '62': 'ID', '63': 'PH',
  '64': 'NZ', '65': 'SG', '66': 'TH', '7': 'RU', '76': 'KZ', '77': 'KZ', '81': 'JP',
  '82': 'KR', '84': 'VN', '86': 'CN', '90': 'TR', '91': 'IN', '92': 'PK', '234': 'NG',
  '254': 'KE', '351': 'PT', '352': 'LU', '353': 'IE', '354': 'IS', '358': 'FI', '420': 'CZ',
  '421': 'SK', '852': 'HK', '886': 'TW', '971': 'AE', '972': 'IL', '966': 'SA',
};

/**
 * Premium-rate and revenue-share ranges of the table's countries, as E.164 digits.
 * NANP: area code 900 and the 976 exchange in any area code are pay-per-call.
 */
// prettier-ignore
const PREMIUM_PREFIXES = [
  '1900',
  '449', '4487', '4470', // GB: 09 premium, 087 revenue share, 070 "personal" numbers
  '49900', '49137', // DE
  '3381', '3382', '3389', // FR: 081/082 shared cost, 089 premium
  '34803', '34806', '34807', '34905', '34907', // ES
  '39892', '39895', '39899', // IT
  '31900', '31906', '31909', // NL
  '3290', // BE
  '41900', '41901', '41906', // CH
  '43900', '43901', '43930', '43931', // AT
  '61190', // AU: 19xx premium
  '64900', // NZ: 0900 premium
];

/** The shortest subscriber number outside the NANP that this table will text (country code included). */
const MIN_DIGITS = 8;

/** Every country code the table can place; an allowlist may only name these. */
export const KNOWN_COUNTRIES: ReadonlySet<string> = new Set([
  'US',
  'CA',
  ...Object.values(NANP_OUTSIDE_US),
  ...Object.values(CALLING_CODES),
]);

export function numberOrigin(e164: string): NumberOrigin {
  const digits = e164.replace(/^\+/, '');
  const premium = PREMIUM_PREFIXES.some((prefix) => digits.startsWith(prefix));
  if (digits.startsWith('1')) {
    const national = digits.slice(1);
    // Ten digits, area code not starting 0 or 1; anything else is a short code or garbage.
    if (!/^[2-9]\d{9}$/.test(national)) return { country: null, premium, short: true };
    const area = national.slice(0, 3);
    const country = NANP_OUTSIDE_US[area] ?? (CANADA_AREA_CODES.has(area) ? 'CA' : 'US');
    return { country, premium: premium || national.slice(3, 6) === '976', short: false };
  }
  let country: string | null = null;
  for (let length = 3; length >= 1 && country === null; length--) {
    country = CALLING_CODES[digits.slice(0, length)] ?? null;
  }
  return { country, premium, short: digits.length < MIN_DIGITS };
}

/**
 * The allowlist when SMS_ALLOWED_COUNTRIES is unset: the sender number's country, with
 * the US and Canada together (domestic to each other on the NANP), and US,CA when the
 * sender's country is not in the table.
 */
export function defaultAllowedCountries(senderNumber: string): string[] {
  const { country } = numberOrigin(senderNumber);
  if (country === null || country === 'US' || country === 'CA') return ['US', 'CA'];
  return [country];
}
