/**
 * The time and the timers of whatever waits for a time (scheduled sends). A class so that
 * it is its own injection token; tests provide one they can move forward.
 */
export class Clock {
  now(): number {
    return Date.now();
  }

  setTimer(callback: () => void, ms: number): unknown {
    const timer = setTimeout(callback, ms);
    // A pending scheduled send must not keep a stopping process alive.
    timer.unref();
    return timer;
  }

  clearTimer(timer: unknown): void {
    clearTimeout(timer as NodeJS.Timeout);
  }
}
