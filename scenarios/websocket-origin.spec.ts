import { familyOf } from "./browser/sockjs-transports";
import { echoOnce } from "./browser/websocket-echo";
import { watchWebSocketHandshakes } from "./browser/websocket-handshakes";
import { test } from "./fixtures/test";
import type { WebSocketOriginObservation } from "./observations";
import { CHAT_CONNECT_TIMEOUT_MS } from "./timing";
import { appList } from "./browser/app-debug";

interface Refusal {
  path: string;
  origin: string | null;
  host: string | null;
  at: number;
}

// Field report B15: the app checks each WebSocket handshake's Origin against its Host (gorilla/websocket's
// default, as Grafana does); a proxy that rewrites Host to its upstream's name, or drops the port, gets 403.
test("websocket-origin: WebSockets to an app that checks Origin against Host: raw and SockJS, status and the app's reason", async ({
  page,
  stack,
  expectObserved,
}) => {
  const testStart = Date.now();
  const watch = await watchWebSocketHandshakes(page);
  await page.goto(`${stack.base}/`);
  const pageOrigin = await page.evaluate(() => location.origin);

  // The check is asked for in the handshake's query, so no other scenario meets it.
  const rawUrl = `${stack.base.replace(/^http/, "ws")}/ws-echo?origin=same`;
  const raw = await echoOnce(page, rawUrl);

  // SockJS, as an app's chat would use it: after a refused WebSocket it walks on to its HTTP transports.
  // A config that serves *.js from elsewhere (a regex location for assets) leaves no SockJS: that is recorded.
  const sockjsScriptLoaded = await page
    .addScriptTag({ url: `${stack.base}/static/sockjs.min.js` })
    .then(() => true)
    .catch(() => false);
  const sockjs = await page.evaluate(
    ([url, timeoutMs]) =>
      new Promise<{ opened: boolean; transport: string | null }>((resolve) => {
        const Sock = (window as unknown as { SockJS?: new (u: string) => Record<string, unknown> }).SockJS;
        if (!Sock) return resolve({ opened: false, transport: null });
        const sock = new Sock(url) as {
          transport?: string;
          onopen: (() => void) | null;
          onclose: (() => void) | null;
          close: () => void;
        };
        const timer = setTimeout(() => resolve({ opened: false, transport: sock.transport ?? null }), timeoutMs);
        sock.onopen = () => {
          clearTimeout(timer);
          resolve({ opened: true, transport: sock.transport ?? null });
          sock.close();
        };
        sock.onclose = () => {
          clearTimeout(timer);
          resolve({ opened: false, transport: null });
        };
      }),
    [`${stack.base}/ws-stomp?origin=same`, CHAT_CONNECT_TIMEOUT_MS] as const,
  );

  const handshakes = watch.handshakes();
  const rawHandshake = handshakes.find((h) => h.url === rawUrl);
  const sockjsHandshake = handshakes.find((h) => /\/websocket\?origin=same$/.test(h.url));
  const refusals = (await appList<"rejections", Refusal>(stack, "/debug/origin", "rejections")).filter(
    (r) => r.at >= testStart - 1_000,
  );
  const observation: WebSocketOriginObservation = {
    pageOrigin,
    rawOpened: raw.opened,
    rawEchoed: raw.echoed,
    rawHandshakeStatus: rawHandshake?.status ?? null,
    rawCloseCode: raw.closeCode,
    sockjsScriptLoaded,
    sockjsOpened: sockjs.opened,
    sockjsTransport: sockjs.transport,
    sockjsTransportFamily: familyOf(sockjs.transport),
    sockjsHandshakeStatus: sockjsHandshake?.status ?? null,
    rejections: refusals.map(({ path, origin, host }) => ({ path, origin, host })),
    rejectedHost: refusals[0]?.host ?? null,
    pageProtocol: await page.evaluate(
      () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).nextHopProtocol,
    ),
    consoleError: watch.consoleErrors[0] ?? null,
  };
  await expectObserved("websocket-origin", observation);
});
