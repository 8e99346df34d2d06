import type { TestInfo } from "@playwright/test";
import { msBetween } from "./browser/clock";
import { SseLabPage, type SseSnapshot } from "./browser/sse-lab";
import { test } from "./fixtures/test";
import { timelineSvg } from "./reporter/timeline-chart";
import type { SseTimingObservation } from "./observations";
import { classifyTimeline, isIsolatedLateEvent, type TimelineFigures } from "./sse-verdict";

/** One event of a measured stream: its id, when the app sent it (server clock), when it arrived (browser clock). */
interface TimelineEvent {
  id: number;
  sentAt: number;
  at: number;
}
import { scaled, SSE_EVENTS, SSE_INTERVAL_MS, TIMING_ATTEMPTS } from "./timing";

type VoidAttempts = SseTimingObservation["voidAttempts"];
interface Attempt {
  snap: SseSnapshot;
  pageLagMaxMs: number;
  timeline: TimelineEvent[];
  figures: TimelineFigures;
}
const G = SSE_INTERVAL_MS;

/**
 * The page's 10 ms tick is the instrument's self-check: an attempt during which the page itself stalled longer
 * than G/4 cannot tell the proxy's delay from the page's, so it is void and taken again (at most TIMING_ATTEMPTS,
 * each void one recorded). A buffering proxy holds events whatever the page does: this cannot turn a batch into
 * "streamed". Once per cell, an attempt with one isolated late event is taken again too (isIsolatedLateEvent);
 * if the next attempt shows it again, that is the verdict. Another attempt only if one more fits in the test.
 */
async function measureUntilVouched(
  measure: (attempt: number) => Promise<Attempt>,
  anotherFits: () => boolean,
): Promise<{ m: Attempt; voidAttempts: VoidAttempts }> {
  const voidAttempts: VoidAttempts = [];
  const voidReason = (m: Attempt): VoidAttempts[number]["reason"] | null => {
    if (m.pageLagMaxMs > G / 4) return "page stalled";
    if (!voidAttempts.some((v) => v.reason === "one late event") && isIsolatedLateEvent(m.figures, SSE_EVENTS, G))
      return "one late event";
    return null;
  };
  let m = await measure(1);
  for (
    let reason = voidReason(m);
    reason && voidAttempts.length + 1 < TIMING_ATTEMPTS && anotherFits();
    reason = voidReason(m)
  ) {
    voidAttempts.push({
      reason,
      pageLagMaxMs: m.pageLagMaxMs,
      maxLatencyMs: m.figures.maxLatencyMs,
      latencies: m.figures.latencies,
    });
    m = await measure(voidAttempts.length + 1);
  }
  return { m, voidAttempts };
}

async function attachTimeline(
  testInfo: TestInfo,
  scenario: string,
  snap: SseSnapshot,
  timeline: TimelineEvent[],
  verdict: string,
): Promise<void> {
  await testInfo.attach("timeline.json", {
    contentType: "application/json",
    body: JSON.stringify({ intervalMs: G, createdAt: snap.createdAt, opens: snap.opens, events: timeline }, null, 2),
  });
  if (timeline.length > 0)
    await testInfo.attach("timeline.svg", {
      contentType: "image/svg+xml",
      body: timelineSvg(timeline, `${scenario} on ${testInfo.project.name}: ${verdict}`),
    });
}

/**
 * No attempt the page could vouch for: no verdict either way. Seen under 40-60 % hypervisor steal (page stalls of
 * 0.5-2.3 s in five attempts running); a verdict from such an attempt would be noise.
 */
function assertVouched(pageLagMaxMs: number, voidAttempts: VoidAttempts): void {
  if (pageLagMaxMs <= G / 4) return;
  const stalls = [...voidAttempts.map((v) => v.pageLagMaxMs), pageLagMaxMs].join(", ");
  throw new Error(
    `Inconclusive: the page itself stalled longer than G/4 = ${G / 4} ms in every attempt (${voidAttempts.length + 1}; its largest stalls: ${stalls} ms), so arrival times cannot be told from the page's own delay (the last attempt's timeline is attached). The machine is too busy to time this (another load, or the hypervisor's steal: see vmstat's "st"). Run it again, with PROXYLAB_WORKERS=1, or stretch every interval with TIME_SCALE=2.`,
  );
}

// Field reports B4/B11: six small events, G apart. Streamed, or held and released in a batch?
for (const accel of [false, true]) {
  const scenario = accel ? "sse-timing-x-accel" : "sse-timing";
  const what = accel ? "with the app's X-Accel-Buffering: no (B11's app-side fix)" : "as the app sends it";

  test(`${scenario}: ${SSE_EVENTS} events ${SSE_INTERVAL_MS} ms apart, ${what}: send vs arrival`, async ({
    page,
    stack,
    expectObserved,
  }, testInfo) => {
    const startedAt = Date.now();
    const lab = new SseLabPage(page);
    await lab.load(stack.base);
    const attemptBoundMs = SSE_EVENTS * G + scaled(5_000);
    // A short stream first, not measured: the first stream after the page loads meets costs of its own. Two
    // campaigns, 355 streamed attempts: the first event was over 100 ms late in 12, each later one in 1 to 4;
    // both events ever seen over G/2 (374 and 388 ms, failing their cells) were first events.
    const warmUpMs = Math.round(G / 5);
    await lab.open(
      "warm-up",
      `sse?sid=${scenario}-${testInfo.testId}-${testInfo.repeatEachIndex}-warm-up&count=2&interval=${warmUpMs}&first=${warmUpMs}`,
    );
    await lab.until("warm-up", "s.events.length >= 2", scaled(5_000));
    await lab.close("warm-up");
    const measure = async (attempt: number): Promise<Attempt> => {
      const sid = `${scenario}-${testInfo.testId}-${testInfo.repeatEachIndex}-${attempt}`;
      await lab.resetLag();
      await lab.open("s", `sse?sid=${sid}&count=${SSE_EVENTS}&interval=${G}&first=${G}${accel ? "&xab=1" : ""}`);
      // Long enough for the whole stream (6G) to end and any buffer holding it to be released.
      await lab.until("s", `s.events.length >= ${SSE_EVENTS}`, attemptBoundMs);
      await lab.close("s");
      const snap = await lab.snapshot("s");
      const pageLagMaxMs = await lab.pageLagMaxMs();
      const timeline = snap.events
        .filter((e) => e.sentAt !== undefined)
        .map((e) => ({ id: e.serverId ?? 0, sentAt: e.sentAt!, at: e.at }));
      return { snap, pageLagMaxMs, timeline, figures: classifyTimeline(timeline, SSE_EVENTS, G) };
    };
    const { m, voidAttempts } = await measureUntilVouched(
      measure,
      () => testInfo.timeout - (Date.now() - startedAt) > attemptBoundMs + scaled(5_000),
    );
    const { snap, pageLagMaxMs, timeline, figures } = m;
    await attachTimeline(testInfo, scenario, snap, timeline, figures.verdict);
    assertVouched(pageLagMaxMs, voidAttempts);

    const observation: SseTimingObservation = {
      verdict: figures.verdict,
      accelBufferingNo: accel,
      intervalMs: G,
      eventsReceived: timeline.length,
      openMs: msBetween(snap.createdAt, snap.opens[0]),
      latencies: figures.latencies,
      maxLatencyMs: figures.maxLatencyMs,
      medianLatencyMs: figures.medianLatencyMs,
      arrivalSpreadMs: figures.arrivalSpreadMs,
      sendSpreadMs: figures.sendSpreadMs,
      pageProtocol: await lab.protocol(),
      pageLagMaxMs,
      voidAttempts,
    };
    await expectObserved(scenario, observation);
  });
}
