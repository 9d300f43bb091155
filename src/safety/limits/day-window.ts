/** A calendar day in the operator's time zone, and when the next one starts. */
export interface Day {
  /** The local date, YYYY-MM-DD. */
  day: string;
  /** The instant the next local day starts (ISO-8601 UTC): when daily limits reset. */
  resetsAt: string;
}

const DAY_MS = 86_400_000;

/**
 * Local days in one IANA time zone, from the runtime's time zone database. A day starts
 * at local midnight, or where a DST change skips midnight (America/Santiago, for one),
 * at the first local time that exists on that date.
 */
export class DayWindow {
  private readonly parts: Intl.DateTimeFormat;

  /** Throws RangeError for a name the runtime does not know. */
  constructor(readonly timeZone: string) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  at(now: Date): Day {
    const day = this.localDate(now.getTime());
    return { day, resetsAt: new Date(this.startOf(nextDate(day))).toISOString() };
  }

  /** The local date of an instant, YYYY-MM-DD. */
  localDate(instant: number): string {
    const { year, month, day } = this.wallClock(instant);
    return `${year}-${month}-${day}`;
  }

  /** The first instant of a local date. */
  startOf(date: string): number {
    const midnight = Date.parse(`${date}T00:00:00Z`);
    // The offset before and after any change near midnight; the earliest candidate that
    // falls on the date is where the day starts.
    const candidates = [midnight - DAY_MS, midnight + DAY_MS]
      .map((probe) => midnight - this.offset(probe))
      .filter((instant) => this.localDate(instant) === date);
    if (candidates.length === 0) throw new Error(`${date} has no start in ${this.timeZone}`);
    return Math.min(...candidates);
  }

  /** Local wall-clock time minus UTC at an instant, in milliseconds. */
  private offset(instant: number): number {
    const p = this.wallClock(instant);
    const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    return wall - Math.floor(instant / 1000) * 1000;
  }

  private wallClock(instant: number): Record<string, string> {
    return Object.fromEntries(
      this.parts.formatToParts(instant).map((part) => [part.type, part.value]),
    );
  }
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
