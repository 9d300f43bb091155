import { countSegments } from './segments';

describe(countSegments.name, () => {
  it.each([
    ['an empty body', '', 'GSM-7', 1, 0],
    ['160 GSM characters', 'a'.repeat(160), 'GSM-7', 1, 160],
    ['161 GSM characters', 'a'.repeat(161), 'GSM-7', 2, 161],
    ['306 GSM characters', 'a'.repeat(306), 'GSM-7', 2, 306],
    ['307 GSM characters', 'a'.repeat(307), 'GSM-7', 3, 307],
    ['1530 GSM characters', 'a'.repeat(1530), 'GSM-7', 10, 1530],
    ['1531 GSM characters', 'a'.repeat(1531), 'GSM-7', 11, 1531],
    ['GSM accents and Greek', 'Ça coûte 5€? Δ'.replace('û', 'u'), 'GSM-7', 1, 15],
    ['80 euro signs (2 septets each)', '€'.repeat(80), 'GSM-7', 1, 160],
    ['81 euro signs', '€'.repeat(81), 'GSM-7', 2, 162],
    ['70 UCS-2 characters', 'é'.repeat(69) + 'ć', 'UCS-2', 1, 70],
    ['71 UCS-2 characters', 'ć'.repeat(71), 'UCS-2', 2, 71],
    ['134 UCS-2 characters', 'ć'.repeat(134), 'UCS-2', 2, 134],
    ['135 UCS-2 characters', 'ć'.repeat(135), 'UCS-2', 3, 135],
    ['one emoji (a surrogate pair)', '😀', 'UCS-2', 1, 2],
    ['35 emoji', '😀'.repeat(35), 'UCS-2', 1, 70],
    ['36 emoji', '😀'.repeat(36), 'UCS-2', 2, 72],
    ['a combining accent, one unit per code unit', 'e\u0301'.repeat(35), 'UCS-2', 1, 70],
  ])('%s', (_name, body, encoding, segments, units) => {
    expect(countSegments(body)).toEqual({ encoding, segments, units });
  });

  it('switches the whole body to UCS-2 for one character outside GSM-7', () => {
    expect(countSegments(`${'a'.repeat(159)}ć`)).toEqual({
      encoding: 'UCS-2',
      segments: 3,
      units: 160,
    });
  });

  it('does not split an extension character across two parts', () => {
    // 152 plain septets then '€': 154 septets would split the escape pair, so '€' opens part 2.
    const body = `${'a'.repeat(152)}€${'a'.repeat(10)}`;
    expect(countSegments(body)).toEqual({ encoding: 'GSM-7', segments: 2, units: 164 });
    // 306 septets would fit two parts of 153, but the pair straddles 153: parts of 152, 153, 1.
    const tight = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSegments(tight)).toEqual({ encoding: 'GSM-7', segments: 3, units: 306 });
  });

  it('does not split a surrogate pair across two parts', () => {
    // 66 units then an emoji: the pair would straddle unit 67, so it opens part 2
    // (134 units would otherwise fit in two parts of 67).
    const body = `${'ć'.repeat(66)}😀${'ć'.repeat(66)}`;
    expect(countSegments(body)).toEqual({ encoding: 'UCS-2', segments: 3, units: 134 });
  });
});
