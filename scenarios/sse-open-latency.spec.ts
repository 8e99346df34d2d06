import { msBetween } from "./browser/clock";
import { SseLabPage } from "./browser/sse-lab";
import { test } from "./fixtures/test";
import type { SseOpenLatencyObservation } from "./observations";
import { scaled, SSE_STEP_MS, SSE_LATE_FIRST_MS } from "./timing";

// The app flushes its headers at once; the first event is deliberately late. Does `open` wait for it?
// Measured twice, one after the other: headers alone, then headers plus an opening comment (body bytes at
// once). Not side by side: over HTTP/2 both streams share a connection, and the second stream's bytes make
// nginx flush the first one's held headers too (measured: 153 ms instead of 1516 ms).
test("sse-open-latency: time from request to EventSource open when the first event is late", async ({
  page,
  stack,
  expectObserved,
}, testInfo) => {
  const lab = new SseLabPage(page);
  await lab.load(stack.base);
  const sid = `open-${testInfo.testId}-${testInfo.repeatEachIndex}`;
  const bound = SSE_LATE_FIRST_MS + SSE_STEP_MS + scaled(5_000);
  const query = `count=2&interval=${SSE_STEP_MS}&first=${SSE_LATE_FIRST_MS}`;
  await lab.open("headers", `sse?sid=${sid}-h&${query}&prelude=0`);
  await lab.until("headers", "s.events.length >= 1", bound);
  await lab.close("headers");
  await lab.open("comment", `sse?sid=${sid}-c&${query}`);
  await lab.until("comment", "s.events.length >= 1", bound);
  await lab.close("comment");
  const [headers, comment] = [await lab.snapshot("headers"), await lab.snapshot("comment")];

  const observation: SseOpenLatencyObservation = {
    firstEventDelayMs: SSE_LATE_FIRST_MS,
    openMs: msBetween(headers.createdAt, headers.opens[0]),
    firstEventMs: msBetween(headers.createdAt, headers.events[0]?.at),
    openMsWithOpeningComment: msBetween(comment.createdAt, comment.opens[0]),
    pageProtocol: await lab.protocol(),
  };
  await expectObserved("sse-open-latency", observation);
});
