/** How long `work` took, in milliseconds, and what it gave. */
export async function timed<T>(work: () => PromiseLike<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/**
 * Half the answers in `times` came within `boundMs`, and every one within `worstMs`: a
 * loaded 2-core machine (a GC pause, another test's process) delays a few by tens of
 * milliseconds; a bridge whose event loop waits on the database holds one for seconds.
 */
export function expectPrompt(times: number[], boundMs: number, worstMs: number): void {
  const sorted = [...times].sort((x, y) => x - y);
  expect(sorted[Math.floor((sorted.length - 1) / 2)]).toBeLessThan(boundMs);
  expect(times.filter((ms) => ms >= worstMs)).toEqual([]);
}
