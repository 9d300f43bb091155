import 'reflect-metadata';
import { loadAppConfig } from './app-config';
import { configProblems } from '../../test/helpers/config-problems';

const ENV_FILE = '/opt/openclaw.env';

describe('approval by text settings', () => {
  it('is off when SMS_OPERATOR_NUMBERS is not set', () => {
    expect(loadAppConfig({}, ENV_FILE).operatorTexts).toBeUndefined();
  });

  it('reads comma-separated numbers with spaces, once each, and 50 texts a day by default', () => {
    expect(
      loadAppConfig(
        { SMS_OPERATOR_NUMBERS: ' +15551239000, +447911123456,+15551239000 ' },
        ENV_FILE,
      ).operatorTexts,
    ).toEqual({ numbers: ['+15551239000', '+447911123456'], perDay: 50 });
  });

  it('takes its own daily cap', () => {
    expect(
      loadAppConfig(
        { SMS_OPERATOR_NUMBERS: '+15551239000', SMS_OPERATOR_NOTIFY_PER_DAY: '3' },
        ENV_FILE,
      ).operatorTexts?.perDay,
    ).toBe(3);
  });

  it.each([
    [
      'a number without its plus',
      { SMS_OPERATOR_NUMBERS: '15551239000' },
      /SMS_OPERATOR_NUMBERS: must be comma-separated E.164/,
    ],
    [
      'an empty item',
      { SMS_OPERATOR_NUMBERS: '+15551239000,,+15551239001' },
      /SMS_OPERATOR_NUMBERS/,
    ],
    [
      "the bridge's own number",
      { SMS_OPERATOR_NUMBERS: '+15005550006' },
      /SMS_OPERATOR_NUMBERS: must not include the bridge's own number/,
    ],
    [
      'a negative cap',
      { SMS_OPERATOR_NOTIFY_PER_DAY: '-1' },
      /SMS_OPERATOR_NOTIFY_PER_DAY: must be 0 or more/,
    ],
    [
      'a cap that is not a number',
      { SMS_OPERATOR_NOTIFY_PER_DAY: 'lots' },
      /SMS_OPERATOR_NOTIFY_PER_DAY: must be a whole number/,
    ],
  ])('refuses %s', (_case, raw, problem) => {
    expect(configProblems(raw, ENV_FILE).join('\n')).toMatch(problem);
  });
});
