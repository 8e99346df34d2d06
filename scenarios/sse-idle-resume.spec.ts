import { SseLabPage } from "./browser/sse-lab";
import { test } from "./fixtures/test";
import type { SseIdleResumeObservation } from "./observations";
import { scaled, SSE_EVENTS, SSE_HEARTBEAT_MS, SSE_STEP_MS, SSE_QUIET_GAP_MS, SSE_RETRY_MS } from "./timing";
import { appList } from "./browser/app-debug";

interface ServerStream {
  lastEventId: string | null;
}

// Field report B12: a stream that goes quiet is cut by the proxy's read timeout. Does the browser
// come back, and does the app resume from Last-Event-ID without loss or repeats? With heartbeats, is it never cut?
test("sse-idle-resume: a quiet stream, without and with heartbeat comments: cuts, reconnects, ids", async ({
  page,
  stack,
  expectObserved,
}, testInfo) => {
  const lab = new SseLabPage(page);
  await lab.load(stack.base);
  const base = `idle-${testInfo.testId}-${testInfo.repeatEachIndex}`;
  const query = `count=${SSE_EVENTS}&interval=${SSE_STEP_MS}&first=${SSE_STEP_MS}&gapAfter=3&gap=${SSE_QUIET_GAP_MS}&retry=${SSE_RETRY_MS}`;
  const bound = SSE_EVENTS * SSE_STEP_MS + SSE_QUIET_GAP_MS + scaled(8_000);

  const run = async (name: string, extra: string) => {
    const sid = `${base}-${name}`;
    // The page closes the stream at the last event, before EventSource would reconnect after a normal end.
    await lab.open(name, `sse?sid=${sid}&${query}${extra}`, SSE_EVENTS);
    await lab.until(name, `s.events.length >= ${SSE_EVENTS}`, bound);
    await lab.close(name);
    const snap = await lab.snapshot(name);
    const streams = await appList<"streams", ServerStream>(stack, `/debug/sse?sid=${sid}`, "streams");
    const ids = snap.events.map((e) => e.serverId ?? -1);
    return {
      ids,
      reconnects: Math.max(0, streams.length - 1),
      resumedFrom: streams.slice(1).map((s) => s.lastEventId),
      exactlyOnce: JSON.stringify(ids) === JSON.stringify(Array.from({ length: SSE_EVENTS }, (_, i) => i + 1)),
    };
  };
  // Side by side: the proxy times out each upstream connection on its own, so the beating stream cannot keep
  // the quiet one alive, and the cell waits one schedule instead of two.
  const [quiet, beating] = await Promise.all([run("quiet", ""), run("heartbeat", `&heartbeat=${SSE_HEARTBEAT_MS}`)]);

  const observation: SseIdleResumeObservation = {
    quietGapMs: SSE_QUIET_GAP_MS,
    quietIds: quiet.ids,
    quietReconnects: quiet.reconnects,
    quietResumedFrom: quiet.resumedFrom,
    quietExactlyOnce: quiet.exactlyOnce,
    heartbeatIds: beating.ids,
    heartbeatReconnects: beating.reconnects,
    heartbeatExactlyOnce: beating.exactlyOnce,
  };
  await expectObserved("sse-idle-resume", observation);
});
