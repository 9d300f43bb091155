import { SlidingWindowStorage } from './sliding-window.storage';

const MINUTE = 60_000;

function storageAt(start = 1_000_000) {
  const clock = { now: start };
  const storage = new SlidingWindowStorage(() => clock.now);
  const hit = (key = 'a', limit = 3, name = 'send') =>
    storage.increment(key, MINUTE, limit, 0, name);
  return { clock, hit };
}

describe('SlidingWindowStorage', () => {
  it('counts requests up to the limit, then refuses the next', async () => {
    const { hit } = storageAt();
    const answers = [await hit(), await hit(), await hit(), await hit()];
    expect(answers.map((a) => a.isBlocked)).toEqual([false, false, false, true]);
    expect(answers.map((a) => a.totalHits)).toEqual([1, 2, 3, 4]);
  });

  it('says when the oldest counted request leaves the window, in whole seconds', async () => {
    const { clock, hit } = storageAt();
    await hit();
    clock.now += 20_500;
    await hit();
    await hit();
    const refused = await hit();
    expect(refused.timeToBlockExpire).toBe(40);
  });

  it('admits again once the oldest request is a minute old, not before', async () => {
    const { clock, hit } = storageAt();
    for (let i = 0; i < 3; i++) await hit();
    clock.now += MINUTE - 1;
    expect((await hit()).isBlocked).toBe(true);
    clock.now += 1;
    expect((await hit()).isBlocked).toBe(false);
  });

  it('does not count refused requests against the caller', async () => {
    const { clock, hit } = storageAt();
    for (let i = 0; i < 3; i++) await hit();
    for (let i = 0; i < 10; i++) await hit();
    clock.now += MINUTE;
    const answers = [await hit(), await hit(), await hit(), await hit()];
    expect(answers.map((a) => a.isBlocked)).toEqual([false, false, false, true]);
  });

  it('keeps callers and throttlers apart', async () => {
    const { hit } = storageAt();
    for (let i = 0; i < 3; i++) await hit('a');
    expect((await hit('a')).isBlocked).toBe(true);
    expect((await hit('b')).isBlocked).toBe(false);
    expect((await hit('a', 3, 'webhook')).isBlocked).toBe(false);
  });

  it('keeps a steady flood at the limit over many windows', async () => {
    const { clock, hit } = storageAt();
    let admitted = 0;
    for (let i = 0; i < 50_000; i++) {
      clock.now += 10;
      if (!(await hit('a', 600)).isBlocked) admitted += 1;
    }
    // 500 s of requests every 10 ms: 600 a minute get through, wherever the windows fall.
    expect(admitted).toBeGreaterThanOrEqual(600 * 8);
    expect(admitted).toBeLessThanOrEqual(600 * 9);
  });
});
