import { scrubSecrets } from './secret-scrubber';

describe(scrubSecrets.name, () => {
  const capture = (secrets: string[], line: string) => {
    const lines: string[] = [];
    scrubSecrets({ write: (text: string) => lines.push(text) }, secrets).write(line);
    return lines.join('');
  };

  it('replaces every occurrence of every secret', () => {
    expect(
      capture(
        ['tok3n-value-1234', 'QmFzaWMgY3JlZHM='],
        'a tok3n-value-1234 b tok3n-value-1234 c QmFzaWMgY3JlZHM=',
      ),
    ).toBe('a [Redacted] b [Redacted] c [Redacted]');
  });

  it('ignores values too short to be secrets rather than shredding the line', () => {
    expect(capture(['', 'ab'], 'a line about ab')).toBe('a line about ab');
  });
});
