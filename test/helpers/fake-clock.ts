import { Clock } from '../../src/common/clock';

/** A clock a test moves forward: timers fire when it passes their time, not before. */
export class FakeClock extends Clock {
  private timers: { at: number; callback: () => void }[] = [];

  constructor(private instant = Date.now()) {
    super();
  }

  override now(): number {
    return this.instant;
  }

  override setTimer(callback: () => void, ms: number): unknown {
    const timer = { at: this.instant + ms, callback };
    this.timers.push(timer);
    return timer;
  }

  override clearTimer(timer: unknown): void {
    this.timers = this.timers.filter((pending) => pending !== timer);
  }

  /** Moves to `iso` (forward only, as time goes) and fires what fell due. */
  set(iso: string): void {
    this.advance(Date.parse(iso) - this.instant);
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('time only moves forward');
    this.instant += ms;
    const due = this.timers.filter((timer) => timer.at <= this.instant);
    this.timers = this.timers.filter((timer) => timer.at > this.instant);
    due.forEach((timer) => timer.callback());
  }
}
