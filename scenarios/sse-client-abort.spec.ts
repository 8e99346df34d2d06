import { expect } from "@playwright/test";
import { msBetween, pollUntil } from "./browser/clock";
import { SseLabPage } from "./browser/sse-lab";
import { test } from "./fixtures/test";
import type { SseClientAbortObservation } from "./observations";
import { ABORT_NOTICE_BOUND_MS, scaled, SSE_STEP_MS } from "./timing";
import { appList } from "./browser/app-debug";

interface ServerStream {
  writes: Array<{ at: number; kind: string }>;
  abortedAt: number | null;
  writesAfterAbort: number;
  writeErrors: string[];
}

// Field reports B4/B12: "Broken pipe" in the server log. The page goes away mid-stream:
// does the app hear of it, and does it stop writing?
test("sse-client-abort: the page closes mid-stream; the app notices and writes nothing more", async ({
  page,
  stack,
  expectObserved,
}, testInfo) => {
  const lab = new SseLabPage(page);
  await lab.load(stack.base);
  const sid = `abort-${testInfo.testId}-${testInfo.repeatEachIndex}`;
  const server = async () => (await appList<"streams", ServerStream>(stack, `/debug/sse?sid=${sid}`, "streams"))[0];
  const events = (s: ServerStream | undefined) => s?.writes.filter((w) => w.kind === "event").length ?? 0;

  // Heart-beats every interval too, so the stream is never quiet while the page is gone.
  await lab.open("s", `sse?sid=${sid}&count=1000&interval=${SSE_STEP_MS}&first=0&heartbeat=${SSE_STEP_MS}`);
  // Server side, not the page: on a buffering proxy the page may not have seen any event yet.
  await expect
    .poll(async () => events(await server()), { timeout: scaled(5_000), intervals: [50] })
    .toBeGreaterThanOrEqual(3);
  const closedAt = await page.evaluate(() => {
    (window as unknown as { sseLab: { close(n: string): number } }).sseLab.close("s");
    return Date.now();
  });
  // Until the app notices (bounded: never noticing is an observation), then a few more intervals, in which any
  // write after the abort would show.
  await pollUntil(async () => (await server())?.abortedAt != null, ABORT_NOTICE_BOUND_MS + scaled(3_000));
  // eslint-disable-next-line playwright/no-wait-for-timeout -- writes after the abort are only seen by waiting
  await page.waitForTimeout(3 * SSE_STEP_MS);
  const record = await server();

  const observation: SseClientAbortObservation = {
    eventsWrittenBeforeClose: record?.writes.filter((w) => w.kind === "event" && w.at <= closedAt).length ?? 0,
    abortNoticedMs: msBetween(closedAt, record?.abortedAt),
    writesAfterPageClose: record?.writes.filter((w) => w.at > closedAt).length ?? 0,
    writesAfterAbort:
      (record?.writesAfterAbort ?? 0) +
      (record?.writes.filter((w) => record.abortedAt !== null && w.at > record.abortedAt).length ?? 0),
    writeErrors: record?.writeErrors.length ?? 0,
  };
  await expectObserved("sse-client-abort", observation);
});
