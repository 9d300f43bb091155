import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** One key's counted requests: their expiry times in arrival order, from `head` on. */
interface Window {
  expiries: number[];
  head: number;
}

/**
 * The throttles' sliding window without a penalty block (AccessModule's only kind), at a
 * constant cost per request. The library's in-memory storage filters every counted
 * request of the window and spreads them into Math.min on each call: under a webhook
 * flood that is tens of thousands of elements per request. A window's expiries arrive in
 * order (one ttl per throttler), so the expired ones are always at its head.
 */
export class SlidingWindowStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private nextSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweep(now, ttl);
    const id = `${throttlerName}:${key}`;
    let window = this.windows.get(id);
    if (!window) this.windows.set(id, (window = { expiries: [], head: 0 }));
    const { expiries } = window;
    while (window.head < expiries.length && expiries[window.head] <= now) window.head += 1;
    // Drop the expired head now and then, not on every call: one copy per window's worth.
    if (window.head > 1024 && window.head * 2 > expiries.length) {
      expiries.splice(0, window.head);
      window.head = 0;
    }
    const counted = expiries.length - window.head;
    const isBlocked = counted >= limit;
    if (!isBlocked) expiries.push(now + ttl);
    const oldest = expiries[window.head];
    const secondsLeft = Math.ceil((oldest - now) / 1000);
    return Promise.resolve({
      totalHits: counted + 1,
      timeToExpire: secondsLeft,
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsLeft : 0,
    });
  }

  /** Forgets the windows with nothing left in them, once per ttl, so idle callers cost no memory. */
  private sweep(now: number, ttl: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + ttl;
    for (const [id, window] of this.windows) {
      const newest = window.expiries.at(-1);
      if (newest === undefined || newest <= now) this.windows.delete(id);
    }
  }
}
