import { smsBodyProblem, smsReasonProblem } from './sms-body';

describe('the characters a text may carry', () => {
  it.each([
    ['plain GSM text', 'Running late, home by 8.'],
    ['tabs and newlines', 'Line one\n\tLine two'],
    ['accents and other scripts', 'Ça va? 你好 مرحبا'],
    ['an emoji with its emoji presentation selector', 'I \u2764\uFE0F it'],
    ['a digit in text presentation', '5\uFE0E stars'],
    ['a family joined by zero-width joiners', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}'],
    ['a rainbow flag (selector then joiner)', '\u{1F3F3}\uFE0F\u200D\u{1F308}'],
    ['a technologist with a skin tone', '\u{1F469}\u{1F3FD}\u200D\u{1F4BB}'],
  ])('accepts %s', (_what, text) => {
    expect(smsBodyProblem(text)).toBeNull();
    expect(smsReasonProblem(text)).toBeNull();
  });

  it.each([
    [
      'zero-width spaces pushing a link out of sight',
      `Home by 8.${'\u200B'.repeat(80)} PS: https://evil.example`,
    ],
    ['a zero-width non-joiner', 'a\u200Cb'],
    ['a joiner between letters', 'a\u200Db'],
    ['a joiner after an emoji, before a letter', '\u{1F600}\u200Db'],
    ['a word joiner', 'a\u2060b'],
    ['an invisible plus', 'a\u2064b'],
    ['a byte order mark', '\uFEFFhello'],
    ['a left-to-right mark', 'a\u200Eb'],
    ['a right-to-left mark', 'a\u200Fb'],
    ['an Arabic letter mark', 'a\u061Cb'],
    ['a right-to-left override', 'pay \u202Eexe.txt'],
    ['a first strong isolate', 'a\u2068b'],
    ['a soft hyphen', 'pay\u00ADpal'],
    ['a combining grapheme joiner', 'a\u034Fb'],
    ['a Hangul filler', 'a\u3164b'],
    ['a Mongolian vowel separator', 'a\u180Eb'],
    ['tag characters spelling hidden text', `hi\u{E0068}\u{E0069}`],
    ['a cancel tag', `hi\u{E007F}`],
    ['a variation selector that selects nothing', 'a\uFE00b'],
    ['a run of emoji presentation selectors', `\u2764${'\uFE0F'.repeat(20)}`],
    ['a selector from the supplement', 'a\u{E0100}b'],
    ['an interlinear annotation', 'a\uFFF9b\uFFFAc\uFFFB'],
    ['a C1 control', 'a\u009Bb'],
    ['an escape', 'hello \u001b[31mred'],
  ])('refuses %s, in a body and in a reason', (_what, text) => {
    expect(smsBodyProblem(text)).toMatch(/^body must not contain/);
    expect(smsReasonProblem(text)).toMatch(/^reason must not contain/);
  });

  it('keeps each field to its own length', () => {
    expect(smsBodyProblem('a'.repeat(1600))).toBeNull();
    expect(smsReasonProblem('a'.repeat(500))).toBeNull();
    expect(smsReasonProblem('a'.repeat(501))).toBe('reason must be 1 to 500 characters');
    expect(smsReasonProblem(' \n ')).toBe('reason must not be only whitespace');
  });
});
