import stringWidth from 'string-width';
import { printable, renderFields, renderTable } from './table';

describe(printable.name, () => {
  it.each([
    [
      'an escape sequence that would retitle the terminal',
      '\x1b]0;pwned\x07',
      '\\x1b]0;pwned\\x07',
    ],
    ['a screen clear', '\x1b[2J\x1b[H', '\\x1b[2J\\x1b[H'],
    ['a bell', 'ring\x07', 'ring\\x07'],
    ['a right-to-left override that reverses a file name', 'inv\u202etxt.exe', 'inv\\u202etxt.exe'],
    ['the bidi isolates', '\u2066a\u2067b\u2068c\u2069', '\\u2066a\\u2067b\\u2068c\\u2069'],
    ['the invisible direction marks', '\u200e\u200f\u061c', '\\u200e\\u200f\\u061c'],
    ['a line separator', 'one\u2028two', 'one\\u2028two'],
    ['zero-width spaces hiding a tail', 'home\u200b\u200bPS', 'home\\u200b\\u200bPS'],
    ['a byte order mark and a soft hyphen', '\ufeffpay\u00adpal', '\\ufeffpay\\xadpal'],
    ['tag characters spelling hidden text', 'hi\u{e0068}\u{e0069}', 'hi\\u{e0068}\\u{e0069}'],
    [
      'nothing of an emoji made with a joiner',
      '\u{1F469}\u200D\u{1F4BB} \u2764\uFE0F',
      '\u{1F469}\u200D\u{1F4BB} \u2764\uFE0F',
    ],
    ['a C1 control (CSI)', 'a\u009b31mb', 'a\\x9b31mb'],
    ['DEL and NUL', '\x7f\x00', '\\x7f\\x00'],
    ['newlines, returns and tabs, by name', 'a\nb\r\tc', 'a\\nb\\r\\tc'],
    [
      'plain text, accents, emoji and CJK, unchanged',
      'Café 👍 你好 +1 (555)',
      'Café 👍 你好 +1 (555)',
    ],
  ])('escapes %s', (_case, input, shown) => {
    expect(printable(input)).toBe(shown);
  });
});

describe('renderTable', () => {
  const rows = [
    { time: '2026-01-31', from: '+15551234567', body: 'x'.repeat(300) },
    { time: '2026-01-31', from: '+15557654321', body: 'short' },
  ];
  const columns = [{ key: 'time' }, { key: 'from' }, { key: 'body', flex: true }];

  it('keeps every line within the width, cutting the flex column with an ellipsis', () => {
    const lines = renderTable(rows, columns).trimEnd().split('\n');
    expect(lines.map((line) => [...line].length)).toEqual([
      expect.any(Number),
      80,
      expect.any(Number),
    ]);
    expect(lines[1].endsWith('x…')).toBe(true);
    expect(lines[2]).toBe('2026-01-31  +15557654321  short');
    expect(renderTable(rows, columns, { width: 50 }).split('\n')[1]).toHaveLength(50);
  });

  it('cuts a column at its maximum in screen columns and never splits an emoji', () => {
    const table = renderTable([{ name: '👍'.repeat(10) }], [{ key: 'name', max: 5 }]);
    expect(table).toBe('name\n👍👍…\n');
  });

  it('never splits a family emoji or a letter from its accent', () => {
    const family = '👨‍👩‍👧';
    expect(renderTable([{ n: `${family}${family}` }], [{ key: 'n', max: 3 }])).toBe(
      `n\n${family}…\n`,
    );
    expect(renderTable([{ n: 'e\u0301e\u0301e\u0301' }], [{ key: 'n', max: 2 }])).toBe(
      'n\ne\u0301…\n',
    );
  });

  it('fits rows of emoji and CJK text in 80 screen columns, aligned', () => {
    const wide = [
      {
        time: '2026-01-31',
        from: '+15551234567',
        body: '你好，明天下午三点在咖啡店见面可以吗？我们可以一起讨论项目的下一步计划',
      },
      {
        time: '2026-01-31',
        from: '+15557654321',
        body: '🎉🎉🎉 party tonight 🍕🍺 bring friends 👍👍👍 see you there 🎶🎶🎶 ok?',
      },
      { time: '2026-01-31', from: '+15550000000', body: 'plain' },
    ];
    const lines = renderTable(wide, columns).trimEnd().split('\n');
    expect(lines.map(stringWidth)).toEqual([
      expect.any(Number),
      expect.any(Number),
      expect.any(Number),
      31,
    ]);
    expect(Math.max(...lines.map(stringWidth))).toBeLessThanOrEqual(80);
    expect(lines[1].endsWith('…')).toBe(true);
    expect(lines[2].endsWith('…')).toBe(true);
    // The body column starts at the same screen column on every line.
    const bodyAt = (line: string) => stringWidth(line.slice(0, line.lastIndexOf('  ') + 2));
    expect(new Set(lines.slice(1).map(bodyAt))).toEqual(new Set([bodyAt(lines[0])]));
  });

  it('keeps escaped control and bidi characters escaped in a wide row', () => {
    const table = renderTable([{ body: '你好\u202e\x1b[2J' }], [{ key: 'body', flex: true }]);
    expect(table).toBe('body\n你好\\u202e\\x1b[2J\n');
  });

  it('shows details under their row, escaped, and skips empty ones', () => {
    const table = renderTable(
      [{ id: 'a1', reason: 'why\x1b[2J', body: '', mediaUrl: [] }],
      [{ key: 'id' }],
      { details: ['reason', 'body', 'mediaUrl'] },
    );
    expect(table).toBe('id\na1\n    reason: why\\x1b[2J\n');
  });

  it('says (none) for an empty list', () => {
    expect(renderTable([], columns)).toBe('(none)\n');
  });
});

describe('renderFields', () => {
  it('escapes keys and values', () => {
    expect(renderFields({ body: 'hi\x07', nested: { 'k\u202e': 1 } })).toBe(
      'body            hi\\x07\nnested.k\\u202e  1\n',
    );
  });
});
