import { SseLabPage } from "./browser/sse-lab";
import { test } from "./fixtures/test";
import type { SseConnectionLimitObservation } from "./observations";
import { FETCH_BOUND_MS, SSE_FIRST_EVENT_BOUND_MS, SSE_STEP_MS, SSE_STREAMS } from "./timing";

// Field report B5: "only ~6 SSE streams at once; more tabs hang". One page, eight EventSources, one fetch.
test("sse-connection-limit: eight EventSources and a fetch() to one origin", async ({
  page,
  stack,
  expectObserved,
}, testInfo) => {
  const lab = new SseLabPage(page);
  await lab.load(stack.base);
  const sid = `limit-${testInfo.testId}-${testInfo.repeatEachIndex}`;
  // X-Accel-Buffering: no, so that a buffering proxy cannot hide a stream that did open: this measures connections.
  const names = Array.from({ length: SSE_STREAMS }, (_, i) => `s${i}`);
  for (const [i, name] of names.entries())
    await lab.open(name, `sse?sid=${sid}-${i}&count=1000&interval=${SSE_STEP_MS}&first=0&xab=1`);
  await Promise.all(names.map((name) => lab.until(name, "s.events.length >= 1", SSE_FIRST_EVENT_BOUND_MS)));
  const snaps = await Promise.all(names.map((name) => lab.snapshot(name)));
  const withFirstEvent = snaps.filter(
    (s) => s.events[0] !== undefined && s.events[0].at - s.createdAt <= SSE_FIRST_EVENT_BOUND_MS,
  ).length;

  const fetched = await page.evaluate(async (boundMs) => {
    const started = performance.now();
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), boundMs);
    try {
      const res = await fetch("healthz", { signal: abort.signal, cache: "no-store" });
      await res.text();
      return { completed: res.ok, ms: Math.round(performance.now() - started) };
    } catch {
      return { completed: false, ms: null };
    } finally {
      clearTimeout(timer);
    }
  }, FETCH_BOUND_MS);
  for (const name of names) await lab.close(name);

  const observation: SseConnectionLimitObservation = {
    pageProtocol: await lab.protocol(),
    streams: SSE_STREAMS,
    streamsWithFirstEvent: withFirstEvent,
    fetchCompleted: fetched.completed,
    fetchMs: fetched.ms,
  };
  await expectObserved("sse-connection-limit", observation);
});
