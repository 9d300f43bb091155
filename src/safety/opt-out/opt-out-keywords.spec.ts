import { parseKeyword } from './opt-out-keywords';

describe('parseKeyword', () => {
  it.each(['STOP', 'stop', ' Stop \n', 'STOPALL', 'UNSUBSCRIBE', 'cancel', 'END', 'quit'])(
    'reads %j as an opt-out',
    (body) => expect(parseKeyword(body)).toBe('opt_out'),
  );

  it.each(['START', 'yes', ' Unstop '])('reads %j as an opt-in', (body) =>
    expect(parseKeyword(body)).toBe('opt_in'),
  );

  it('reads HELP as a request for help', () => {
    expect(parseKeyword('help')).toBe('help');
  });

  it.each(['please stop', 'STOP.', 'STOP STOP', 'stopping', 'yes please', '', 'constructor'])(
    'does not read %j as a keyword: only the whole message counts',
    (body) => expect(parseKeyword(body)).toBeNull(),
  );
});
