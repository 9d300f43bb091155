import { DayWindow } from './day-window';

describe(DayWindow.name, () => {
  it('runs UTC days from midnight to midnight', () => {
    const window = new DayWindow('UTC');
    expect(window.at(new Date('2026-03-10T23:59:59.999Z'))).toEqual({
      day: '2026-03-10',
      resetsAt: '2026-03-11T00:00:00.000Z',
    });
    expect(window.at(new Date('2026-03-11T00:00:00.000Z')).day).toBe('2026-03-11');
  });

  it('counts a New York evening in the New York day, not the UTC one', () => {
    const window = new DayWindow('America/New_York');
    // 22:30 on the 10th in New York (EDT, UTC-4) is already the 11th in UTC.
    expect(window.at(new Date('2026-06-11T02:30:00Z'))).toEqual({
      day: '2026-06-10',
      resetsAt: '2026-06-11T04:00:00.000Z',
    });
  });

  it('resets at the right instant across a DST change', () => {
    const window = new DayWindow('America/New_York');
    // 2026-03-08 is 23 hours long in New York: it starts at UTC-5 and ends at UTC-4.
    expect(window.at(new Date('2026-03-08T12:00:00Z')).resetsAt).toBe('2026-03-09T04:00:00.000Z');
    // 2026-11-01 is 25 hours long.
    expect(window.at(new Date('2026-11-01T12:00:00Z')).resetsAt).toBe('2026-11-02T05:00:00.000Z');
  });

  it('handles half-hour offsets', () => {
    expect(new DayWindow('Asia/Kolkata').at(new Date('2026-01-01T18:29:00Z'))).toEqual({
      day: '2026-01-01',
      resetsAt: '2026-01-01T18:30:00.000Z',
    });
  });

  it('starts a day whose midnight a DST change skips at the first local time it has', () => {
    // Chile moved clocks from 00:00 to 01:00 on 2024-09-08: that day starts at 01:00 (UTC-3).
    const window = new DayWindow('America/Santiago');
    expect(window.at(new Date('2024-09-07T20:00:00Z'))).toEqual({
      day: '2024-09-07',
      resetsAt: '2024-09-08T04:00:00.000Z',
    });
    expect(window.localDate(Date.parse('2024-09-08T04:00:00Z'))).toBe('2024-09-08');
  });

  it('refuses a time zone the runtime does not know', () => {
    expect(() => new DayWindow('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
