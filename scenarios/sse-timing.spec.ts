import { SseLabPage } from "./fixtures/sse-lab";
import { test } from "./fixtures/test";
import { timelineSvg } from "./fixtures/timeline-chart";
import type { SseTimingObservation } from "./observations";
import { classifyTimeline } from "./sse-verdict";
import { scaled, SSE_EVENTS, SSE_INTERVAL_MS } from "./timing";

// Field reports B4/B11 (seeds 003, 004): six small events, G apart. Streamed, or held and released in a batch?
for (const accel of [false, true]) {
  const scenario = accel ? "sse-timing-x-accel" : "sse-timing";
  const what = accel ? "with the app's X-Accel-Buffering: no (seed 004's app-side fix)" : "as the app sends it";
  test(`${scenario}: ${SSE_EVENTS} events ${SSE_INTERVAL_MS} ms apart, ${what}: send vs arrival`, async ({ page, stack, expectObserved }, testInfo) => {
    const lab = new SseLabPage(page);
    await lab.load(stack.appUrl);
    const sid = `${scenario}-${testInfo.testId}-${testInfo.repeatEachIndex}`;
    const G = SSE_INTERVAL_MS;
    await lab.resetLag();
    await lab.open("s", `/sse?sid=${sid}&count=${SSE_EVENTS}&interval=${G}&first=${G}${accel ? "&xab=1" : ""}`);
    // Long enough for the whole stream (6G) to end and any buffer holding it to be released.
    await lab.until("s", `s.events.length >= ${SSE_EVENTS}`, SSE_EVENTS * G + scaled(5_000));
    await lab.close("s");
    const snap = await lab.snapshot("s");
    const pageLagMaxMs = await lab.pageLagMaxMs();

    const timeline = snap.events.filter((e) => e.sentAt !== undefined).map((e) => ({ id: e.serverId ?? 0, sentAt: e.sentAt!, at: e.at }));
    const figures = classifyTimeline(timeline, SSE_EVENTS, G);
    await testInfo.attach("timeline.json", { contentType: "application/json", body: JSON.stringify({ intervalMs: G, createdAt: snap.createdAt, opens: snap.opens, events: timeline }, null, 2) });
    if (timeline.length > 0) {
      await testInfo.attach("timeline.svg", { contentType: "image/svg+xml", body: timelineSvg(timeline, `${scenario} on ${testInfo.project.name}: ${figures.verdict}`) });
    }

    const observation: SseTimingObservation = {
      verdict: figures.verdict,
      accelBufferingNo: accel,
      intervalMs: G,
      eventsReceived: timeline.length,
      openMs: snap.opens[0] === undefined ? null : Math.round(snap.opens[0] - snap.createdAt),
      latencies: figures.latencies,
      maxLatencyMs: figures.latencies.length ? Math.max(...figures.latencies) : null,
      arrivalSpreadMs: figures.arrivalSpreadMs,
      sendSpreadMs: figures.sendSpreadMs,
      pageProtocol: await lab.protocol(),
      pageLagMaxMs,
    };
    await expectObserved(scenario, observation);
  });
}
