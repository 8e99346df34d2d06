export type TimelineVerdict = "streamed" | "batched" | "no-events" | `other: ${string}`;

export interface TimelineFigures {
  verdict: TimelineVerdict;
  /** Arrival minus server send time, per event, in ms (both clocks are the machine's clock). */
  latencies: number[];
  /** The largest of them, or null without events. */
  maxLatencyMs: number | null;
  /** Their median: a delay the proxy adds to every flush shows here, one late event (a stalled machine) does not. */
  medianLatencyMs: number | null;
  /** Last arrival minus first arrival. */
  arrivalSpreadMs: number | null;
  /** Last send minus first send. */
  sendSpreadMs: number | null;
}

/**
 * The rules, and nothing else: "streamed" when every event arrives before the next is sent
 * (latency < G/2); "batched" when arrivals cluster (spread < G/4) while sends span 5G; anything else is
 * reported as what it is.
 */
export function classifyTimeline(
  events: Array<{ sentAt: number; at: number }>,
  expected: number,
  intervalMs: number,
): TimelineFigures {
  if (events.length === 0)
    return {
      verdict: "no-events",
      latencies: [],
      maxLatencyMs: null,
      medianLatencyMs: null,
      arrivalSpreadMs: null,
      sendSpreadMs: null,
    };
  const latencies = events.map((e) => Math.round(e.at - e.sentAt));
  const arrivals = events.map((e) => e.at);
  const sends = events.map((e) => e.sentAt);
  const arrivalSpreadMs = Math.round(Math.max(...arrivals) - Math.min(...arrivals));
  const sendSpreadMs = Math.round(Math.max(...sends) - Math.min(...sends));
  let verdict: TimelineVerdict;
  if (events.length < expected) verdict = `other: ${events.length} of ${expected} events arrived`;
  else if (latencies.every((l) => l < intervalMs / 2)) verdict = "streamed";
  // Sends that span 5 intervals may start a little late on a busy machine: 90% of 5G counts as spanning it.
  else if (arrivalSpreadMs < intervalMs / 4 && sendSpreadMs >= 0.9 * 5 * intervalMs) verdict = "batched";
  else verdict = `other: latencies ${latencies.join(",")} ms, arrival spread ${arrivalSpreadMs} ms`;
  const sorted = [...latencies].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianLatencyMs = sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
  return { verdict, latencies, maxLatencyMs: Math.max(...latencies), medianLatencyMs, arrivalSpreadMs, sendSpreadMs };
}

/**
 * One event late (G/2 or more, under G) and every other on time: the signature of a stall somewhere on the
 * machine rather than of a proxy, which holds every event it buffers. Seen 3 times in about 900 timing cells,
 * each time with the page calm enough to count (its stall 100-102 ms, under G/4): such an attempt is taken once
 * more, and stands if the next one shows it again.
 */
export function isIsolatedLateEvent(figures: TimelineFigures, expected: number, intervalMs: number): boolean {
  if (!figures.verdict.startsWith("other:") || figures.latencies.length !== expected) return false;
  const late = figures.latencies.filter((l) => l >= intervalMs / 2);
  return late.length === 1 && late[0]! < intervalMs;
}
