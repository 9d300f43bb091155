/** How long `work` took, in milliseconds, and what it gave. */
export async function timed<T>(work: () => PromiseLike<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/**
 * Every answer in `times` came within `boundMs`, but for one in ten that a loaded 2-core
 * machine (a GC pause, another test's process) may delay to at most `worstMs`: a bridge
 * whose event loop waited on the database fails both, as its wait lasts seconds.
 */
export function expectPrompt(times: number[], boundMs: number, worstMs: number): void {
  const late = times.filter((ms) => ms >= boundMs).map(Math.round);
  const allowed = Math.floor(times.length / 10);
  if (late.length > allowed) {
    throw new Error(
      `${late.length} of ${times.length} answers took ${boundMs} ms or more, ${allowed} may: ${late.join(', ')} ms`,
    );
  }
  expect(times.filter((ms) => ms >= worstMs)).toEqual([]);
}
