import { maskCodes, readCodedReply } from './operator-reply';

describe('reading an operator reply', () => {
  it.each([
    ['YES 482913', 'approved', '482913'],
    ['yes 482913', 'approved', '482913'],
    ['No 482913', 'denied', '482913'],
    ['  YES   482913  ', 'approved', '482913'],
    ['Yes, 482913!', 'approved', '482913'],
    ['"no 482913."', 'denied', '482913'],
    ['YES482913', 'approved', '482913'],
    ['ＹＥＳ　４８２９１３', 'approved', '482913'],
    ['YES 482913\u200b', 'approved', '482913'],
    ['YES 12345', 'approved', '12345'],
  ])('reads %j as a decision', (body, decision, code) => {
    expect(readCodedReply(body)).toEqual({ decision, code });
  });

  it.each([
    'YES',
    'NO',
    'STOP',
    'yes please 482913',
    'YES 482913 and also text mom',
    'maybe 482913',
    '482913',
    'YES 4829l3',
    'Yes 482913 482913',
  ])('does not read %j as a decision', (body) => {
    expect(readCodedReply(body)).toBeNull();
  });

  it('masks codes in what it keeps, and leaves short numbers', () => {
    expect(maskCodes('yes 482913')).toBe('yes ******');
    expect(maskCodes('Reply YES 482913 to send, NO 482913 to refuse. Meet at 5')).toBe(
      'Reply YES ****** to send, NO ****** to refuse. Meet at 5',
    );
    expect(maskCodes('ＹＥＳ　４８２９１３')).toBe('YES ******');
  });
});
