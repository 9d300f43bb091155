import { defaultAllowedCountries, isKnownCountry, numberOrigin } from './phone-country';

describe(numberOrigin.name, () => {
  it.each([
    ['+12025551234', 'US'], // Washington DC
    ['+15551234567', 'US'], // 555: fictional, what the seed and the test suite text
    ['+15005550006', 'US'], // 500: Twilio's magic test numbers
    ['+18005551234', 'US'], // toll-free: priced as domestic, texted by businesses
    ['+14165551234', 'CA'], // Toronto
    ['+18675551234', 'CA'], // Yukon/NWT/Nunavut, not the Caribbean
    ['+18765551234', 'JM'], // Jamaica shares +1
    ['+17875551234', 'PR'], // a US territory, but its own ISO code and Twilio price
    ['+447400123456', 'GB'],
    ['+447911123456', 'GG'], // Guernsey's mobiles share +44 7911 with the UK
    ['+447700900123', 'GB'], // Ofcom's drama range: fictional, placed in the UK
    ['+4915112345678', 'DE'],
    ['+33612345678', 'FR'],
    ['+380501234567', 'UA'], // a country the old hand-made table did not know
    ['+79161234567', 'RU'],
    ['+77011234567', 'KZ'], // +7 7xx is Kazakhstan
    ['+61412345678', 'AU'],
    ['+2901234', 'SH'], // Saint Helena: 4 digits after the country code
  ])('places %s in %s', (number, country) => {
    expect(numberOrigin(number)).toEqual({ kind: 'number', country, premium: false });
  });

  it.each([
    ['+19005551234', 'US'], // NANP 900 pay-per-call
    ['+449012345678', 'GB'], // 09 premium
    ['+448431234567', 'GB'], // 084 revenue share
    ['+499001123456', 'DE'], // 0900
    ['+33891234567', 'FR'], // 089
    ['+34803123456', 'ES'], // 803
    ['+611900123456', 'AU'], // 1900
    ['+41840123456', 'CH'], // 0840 shared cost: the callee shares the charge
  ])('knows %s is premium-rate or shared-cost (%s)', (number, country) => {
    expect(numberOrigin(number)).toEqual({ kind: 'number', country, premium: true });
  });

  it.each(['+12345', '+123456', '+3212', '+44123'])(
    'reads %s as a short code: too few digits for any phone number',
    (number) => {
      expect(numberOrigin(number)).toEqual({ kind: 'short_code' });
    },
  );

  it.each([
    ['+1555123', 'too_short', null], // a 7-digit local number without its area code
    ['+1234567', 'too_short', null],
    ['+155512345678', 'too_long', null], // a digit too many
    ['+4412345', 'too_short', null],
    ['+4184012345', 'too_short', 'CH'],
    ['+3906123456789012', 'too_long', null],
    ['+999123456789', 'unknown_country_code', null], // no country has +999
  ])('reads %s as malformed (%s): a typo the caller can fix', (number, problem, country) => {
    expect(numberOrigin(number)).toEqual({ kind: 'malformed', problem, country });
  });

  it.each(['+88216123456', '+8821612345678'])(
    'places %s nowhere: a non-geographic (satellite) number',
    (number) => {
      expect(numberOrigin(number)).toEqual({ kind: 'number', country: null, premium: false });
    },
  );
});

describe('isKnownCountry', () => {
  it.each(['US', 'UA', 'GG', 'XK', 'NU', 'SH'])('knows %s', (code) => {
    expect(isKnownCountry(code)).toBe(true);
  });

  it.each(['UK', 'EU', 'ZZ', 'us'])('does not know %s', (code) => {
    expect(isKnownCountry(code)).toBe(false);
  });
});

describe('defaultAllowedCountries', () => {
  it.each([
    ['+12025551234', ['US', 'CA']],
    ['+14165551234', ['US', 'CA']],
    ['+15005550006', ['US', 'CA']],
    ['+447400123456', ['GB']],
    ['+380501234567', ['UA']],
    ['+8821612345678', ['US', 'CA']],
  ])('for a sender %s is %j', (sender, countries) => {
    expect(defaultAllowedCountries(sender)).toEqual(countries);
  });
});
