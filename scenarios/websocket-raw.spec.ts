import { echoOnce } from "./browser/websocket-echo";
import { watchWebSocketHandshakes } from "./browser/websocket-handshakes";
import { test } from "./fixtures/test";
import type { RawWebSocketObservation } from "./observations";

// The same failure without SockJS to hide it: a plain `new WebSocket()` either opens and echoes or fails (1006).
test("websocket-raw: a plain WebSocket to the echo endpoint opens and echoes, or fails at the handshake", async ({
  page,
  stack,
  expectObserved,
}) => {
  const watch = await watchWebSocketHandshakes(page);
  await page.goto(`${stack.base}/`);
  const wsUrl = `${stack.base.replace(/^http/, "ws")}/ws-echo`;
  const result = await echoOnce(page, wsUrl);
  const handshake = watch.handshakes().find((h) => h.url === wsUrl);
  const observation: RawWebSocketObservation = {
    ...result,
    handshakeStatus: handshake?.status ?? null,
    statusLine: handshake?.statusLine ?? handshake?.error ?? null,
    pageProtocol: await page.evaluate(
      () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).nextHopProtocol,
    ),
    consoleError: watch.consoleErrors[0] ?? null,
  };
  await expectObserved("websocket-raw", observation);
});
