import { closestVariable } from './service-env-file';

describe('the variable a misspelled name probably means', () => {
  it.each([
    ['a letter missing', 'TWILIO_ACOUNT_SID', 'TWILIO_ACCOUNT_SID'],
    ['two letters swapped', 'TWILIO_AUTH_TOEKN', 'TWILIO_AUTH_TOKEN'],
    ['written in lowercase', 'sms_daily_limit', 'SMS_DAILY_LIMIT'],
    ['a short name one letter off', 'PROT', 'PORT'],
  ])('%s: %s means %s', (_case, name, meant) => {
    expect(closestVariable(name)).toBe(meant);
  });

  it.each([
    ['another program', 'SMS_TEST_DATABASE'],
    ['a short name two letters off', 'PATH'],
    ['nothing like any of them', 'TWILIO_REGION'],
  ])('guesses nothing for %s: %s', (_case, name) => {
    expect(closestVariable(name)).toBeUndefined();
  });
});
