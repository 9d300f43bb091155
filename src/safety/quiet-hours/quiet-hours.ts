const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Enough to step over any DST change in every zone of a number several times over. */
const MAX_ROUNDS = 16;

/**
 * A window of the local day (SMS_QUIET_HOURS, e.g. 21:00-08:00) in which nobody is texted,
 * read on each recipient's own clock. The window may cross midnight. Local times come from
 * the runtime's time zone database, so DST changes and half-hour offsets need no rules here.
 */
export class QuietHours {
  private readonly formats = new Map<string, Intl.DateTimeFormat>();

  /** `start` and `end` in minutes after local midnight; they differ. */
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}

  isQuiet(instant: number, timeZone: string): boolean {
    const minute = this.localMinute(instant, timeZone);
    return this.start < this.end
      ? minute >= this.start && minute < this.end
      : minute >= this.start || minute < this.end;
  }

  /**
   * The first instant from `instant` on that is outside the window in every zone, or null
   * when the zones share no such time within a couple of days (US toll-free numbers map to
   * zones from Guam to Adak, 21 hours apart).
   */
  allowedAt(instant: number, timeZones: readonly string[]): number | null {
    let at = instant;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const quietIn = timeZones.find((zone) => this.isQuiet(at, zone));
      if (!quietIn) return at === instant ? at : this.earliestFree(at, instant, timeZones);
      at = this.leave(at, quietIn);
    }
    return null;
  }

  /**
   * Near the end of the window in `timeZone`: the local minutes left to `end`, added to the
   * instant. Across a DST change the wall clock moves by an hour more or less than the
   * instant does, so the result may still be quiet (another round moves on) or up to an
   * hour late (earliestFree walks back).
   */
  private leave(instant: number, timeZone: string): number {
    const left = (this.end - this.localMinute(instant, timeZone) + DAY_MINUTES) % DAY_MINUTES;
    // Zones are whole minutes from UTC, so a local minute starts on a UTC minute.
    return Math.floor(instant / MINUTE_MS) * MINUTE_MS + (left || DAY_MINUTES) * MINUTE_MS;
  }

  /** Walks back from a free instant to the first free minute after `after`. */
  private earliestFree(free: number, after: number, timeZones: readonly string[]): number {
    let at = free;
    for (let step = 0; step < 120; step++) {
      const earlier = at - MINUTE_MS;
      if (earlier <= after || timeZones.some((zone) => this.isQuiet(earlier, zone))) break;
      at = earlier;
    }
    return at;
  }

  private localMinute(instant: number, timeZone: string): number {
    let format = this.formats.get(timeZone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        hour: '2-digit',
        minute: '2-digit',
      });
      this.formats.set(timeZone, format);
    }
    const parts = Object.fromEntries(
      format.formatToParts(instant).map((part) => [part.type, part.value]),
    );
    return Number(parts.hour) * 60 + Number(parts.minute);
  }
}
