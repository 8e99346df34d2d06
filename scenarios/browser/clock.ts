/** Milliseconds from `from` to `to` on one clock, rounded; null when `to` never happened. */
export function msBetween(from: number, to: number | null | undefined): number | null {
  return to === null || to === undefined ? null : Math.round(to - from);
}

/** The largest of some durations, rounded; null when there are none. */
export function maxMs(values: readonly number[]): number | null {
  return values.length > 0 ? Math.round(Math.max(...values)) : null;
}

/** Checks every `intervalMs` until the check holds or `timeoutMs` passes; whether it held (a timeout is an observation). */
export async function pollUntil(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
