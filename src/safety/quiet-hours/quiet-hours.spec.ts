import { QuietHours } from './quiet-hours';

const at = (hhmm: string) => {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return hours * 60 + minutes;
};
const window = (spec: string) => {
  const [start, end] = spec.split('-').map(at);
  return new QuietHours(start, end);
};

describe('QuietHours', () => {
  it.each([
    [
      'a New York evening defers to 08:00 New York time',
      '21:00-08:00',
      ['America/New_York'],
      '2026-01-15T03:00:00Z',
      '2026-01-15T13:00:00.000Z',
    ],
    [
      'a New York afternoon goes at once',
      '21:00-08:00',
      ['America/New_York'],
      '2026-01-15T17:00:00Z',
      '2026-01-15T17:00:00.000Z',
    ],
    [
      'the minute the window starts is quiet',
      '21:00-08:00',
      ['UTC'],
      '2026-01-15T21:00:00Z',
      '2026-01-16T08:00:00.000Z',
    ],
    [
      'the minute the window ends is not',
      '21:00-08:00',
      ['UTC'],
      '2026-01-15T08:00:00Z',
      '2026-01-15T08:00:00.000Z',
    ],
    [
      'just after midnight waits for the same morning',
      '21:00-08:00',
      ['UTC'],
      '2026-01-15T00:01:00Z',
      '2026-01-15T08:00:00.000Z',
    ],
    [
      'seconds before the end wait for the end, not a minute more',
      '21:00-08:00',
      ['UTC'],
      '2026-01-15T07:59:30Z',
      '2026-01-15T08:00:00.000Z',
    ],
    [
      'a window inside one day',
      '13:00-14:00',
      ['UTC'],
      '2026-01-15T13:30:00Z',
      '2026-01-15T14:00:00.000Z',
    ],
    [
      'a half-hour zone ends its night on the half hour (Kolkata, UTC+5:30)',
      '21:00-08:00',
      ['Asia/Kolkata'],
      '2026-01-01T16:00:00Z',
      '2026-01-02T02:30:00.000Z',
    ],
    [
      'a quarter-hour zone too (Kathmandu, UTC+5:45)',
      '21:00-08:00',
      ['Asia/Kathmandu'],
      '2026-01-01T16:00:00Z',
      '2026-01-02T02:15:00.000Z',
    ],
    [
      'a night that loses an hour to DST ends at 08:00 EDT',
      '21:00-08:00',
      ['America/New_York'],
      '2026-03-08T03:00:00Z',
      '2026-03-08T12:00:00.000Z',
    ],
    [
      'a night that gains an hour ends at 08:00 EST',
      '21:00-08:00',
      ['America/New_York'],
      '2026-11-01T02:00:00Z',
      '2026-11-01T13:00:00.000Z',
    ],
    [
      'a window ending in the hour DST skips ends when the clock jumps',
      '21:00-02:30',
      ['America/New_York'],
      '2026-03-08T03:00:00Z',
      '2026-03-08T07:00:00.000Z',
    ],
    [
      'a number in two zones waits for the later morning (Idaho: Boise and Los Angeles)',
      '21:00-08:00',
      ['America/Boise', 'America/Los_Angeles'],
      '2026-01-15T14:30:00Z',
      '2026-01-15T16:00:00.000Z',
    ],
    [
      'an evening quiet in the earlier zone only still waits (Idaho)',
      '21:00-08:00',
      ['America/Boise', 'America/Los_Angeles'],
      '2026-01-16T04:30:00Z',
      '2026-01-16T16:00:00.000Z',
    ],
    [
      'zones whose free hours overlap late: London night, then New York night',
      '21:00-08:00',
      ['America/New_York', 'Europe/London'],
      '2026-01-15T22:00:00Z',
      '2026-01-16T13:00:00.000Z',
    ],
  ])('%s', (_, spec, zones, instant, expected) => {
    const allowed = window(spec).allowedAt(Date.parse(instant), zones);
    expect(new Date(allowed!).toISOString()).toBe(expected);
  });

  it('finds no time for zones that share no hour outside the window', () => {
    // Eight hours apart, three 11-hour nights cover the whole day.
    const zones = ['UTC', 'Asia/Shanghai', 'America/Los_Angeles'];
    expect(window('21:00-08:00').allowedAt(Date.parse('2026-01-15T12:00:00Z'), zones)).toBeNull();
  });

  it('reads the window on the local clock of the zone asked', () => {
    const quiet = window('21:00-08:00');
    const instant = Date.parse('2026-06-10T02:30:00Z');
    expect(quiet.isQuiet(instant, 'America/New_York')).toBe(true); // 22:30 EDT
    expect(quiet.isQuiet(instant, 'America/Los_Angeles')).toBe(false); // 19:30 PDT
    expect(quiet.isQuiet(instant, 'Australia/Sydney')).toBe(false); // 12:30 AEST
  });
});
