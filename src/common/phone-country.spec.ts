import { defaultAllowedCountries, numberOrigin } from './phone-country';

describe('numberOrigin', () => {
  it.each([
    ['+12025551234', 'US'], // Washington DC
    ['+15551234567', 'US'], // 555: unassigned, what the test suite texts
    ['+15005550006', 'US'], // 500: Twilio's test numbers
    ['+18005551234', 'US'], // toll-free: priced as domestic, texted by businesses
    ['+18885551234', 'US'],
    ['+14165551234', 'CA'], // Toronto
    ['+16045551234', 'CA'], // Vancouver
    ['+18675551234', 'CA'], // Yukon/NWT/Nunavut, not the Caribbean
    ['+18765551234', 'JM'], // Jamaica shares +1
    ['+18095551234', 'DO'],
    ['+12425551234', 'BS'],
    ['+14415551234', 'BM'],
    ['+17875551234', 'PR'], // a US territory, but its own ISO code and Twilio price
    ['+16715551234', 'GU'],
    ['+447911123456', 'GB'],
    ['+4915112345678', 'DE'],
    ['+33612345678', 'FR'],
    ['+79161234567', 'RU'],
    ['+77011234567', 'KZ'], // +7 7xx is Kazakhstan
    ['+353861234567', 'IE'],
    ['+61412345678', 'AU'],
  ])('places %s in %s', (number, country) => {
    expect(numberOrigin(number)).toEqual({ country, premium: false, short: false });
  });

  it.each([
    '+19005551234', // NANP 900 pay-per-call
    '+12129761234', // the 976 exchange
    '+449012345678', // GB 09 premium
    '+448712345678', // GB 087 revenue share
    '+447012345678', // GB 070 personal numbers
    '+4990012345678', // DE 0900
    '+33891234567', // FR 089
    '+61190012345', // AU 19xx
  ])('flags %s as premium-rate', (number) => {
    expect(numberOrigin(number).premium).toBe(true);
  });

  it.each(['+12345', '+1555123', '+155512345678', '+11234567890', '+4412345'])(
    'flags %s as a short code or not a subscriber number',
    (number) => {
      expect(numberOrigin(number).short).toBe(true);
    },
  );

  it.each(['+88216123456', '+8701234567', '+6831234567', '+2421234567'])(
    'cannot place %s (satellite, global and uncommon codes)',
    (number) => {
      expect(numberOrigin(number).country).toBeNull();
    },
  );
});

describe('defaultAllowedCountries', () => {
  it.each([
    ['+12025551234', ['US', 'CA']],
    ['+14165551234', ['US', 'CA']],
    ['+15005550006', ['US', 'CA']],
    ['+447700900123', ['GB']],
    ['+8821612345678', ['US', 'CA']],
  ])('for a sender %s is %j', (sender, countries) => {
    expect(defaultAllowedCountries(sender)).toEqual(countries);
  });
});
