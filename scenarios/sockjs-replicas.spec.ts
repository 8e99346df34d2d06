import type { Browser } from "@playwright/test";
import { appRecords } from "./browser/app-debug";
import { test } from "./fixtures/test";
import type { SockJsReplicasObservation } from "./observations";
import { CHAT_CONNECT_TIMEOUT_MS, CHAT_TEST_TIMEOUT_MS, DELIVERY_BOUND_MS } from "./timing";
import { isAborted } from "./browser/net-errors";

// Field report B20: two app replicas behind one proxy. A SockJS session is one WebSocket, or (its HTTP fallbacks)
// several requests that must all reach the replica that opened it. Each replica counts the requests it saw for
// each session id (its debug port, never the proxy): which replicas one session reached is the observation.

interface ReplicaRecord {
  replica: string | null;
  requestsBySession: Record<string, Record<string, number>>;
}

const SESSION_URL = /\/ws-stomp\/\d+\/([a-z0-9_.-]+)\/([a-z_]+)$/;

/** `POST /ws-stomp/<server>/<session>/xhr_send 404`: SockJS's server and session ids made stable. */
const shown = (method: string, url: string, outcome: string | number) =>
  `${method} ${new URL(url).pathname.replace(/\/ws-stomp\/\d+\/[^/]+\//, "/ws-stomp/<server>/<session>/")} ${outcome}`;

/** One user on the chat page with only `transports` allowed: the transport, delivery, and the session's requests. */
async function chatWith(
  browser: Browser,
  stack: { base: string; appDebugUrls: readonly string[] },
  transports: string,
) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const sessions = new Set<string>();
    const failed = new Set<string>();
    const note = (url: string) => {
      const m = SESSION_URL.exec(new URL(url).pathname);
      if (m) sessions.add(m[1]!);
    };
    page.on("websocket", (ws) => note(ws.url()));
    page.on("request", (r) => note(r.url()));
    page.on("response", (r) => {
      if (r.status() >= 400 && SESSION_URL.test(new URL(r.url()).pathname))
        failed.add(shown(r.request().method(), r.url(), r.status()));
    });
    page.on("requestfailed", (r) => {
      const reason = r.failure()?.errorText ?? "";
      if (!isAborted(reason) && SESSION_URL.test(new URL(r.url()).pathname))
        failed.add(shown(r.method(), r.url(), reason));
    });
    await page.goto(`${stack.base}/chat?room=replicas-${transports}&user=alice&transports=${transports}`);
    // Subscribed (a round trip through every request kind the transport uses), or SockJS closed for good.
    await page
      .waitForFunction(
        () => {
          const w = window as unknown as { chat: { subscribedAt: number | null }; sock?: { readyState: number } };
          return w.chat.subscribedAt !== null || w.sock?.readyState === 3;
        },
        null,
        { timeout: CHAT_CONNECT_TIMEOUT_MS },
      )
      .catch(() => undefined);
    const sent = await page.evaluate(
      () => (window as unknown as { chatSend?: (t: string) => number | null }).chatSend?.("hello") ?? null,
    );
    const delivered =
      sent !== null &&
      (await page
        .waitForFunction(
          () => (window as unknown as { chat: { received: unknown[] } }).chat.received.length > 0,
          null,
          {
            timeout: DELIVERY_BOUND_MS,
          },
        )
        .then(() => true)
        .catch(() => false));
    const chat = await page.evaluate(() => {
      const c = (window as unknown as { chat: { transport: string | null; errors: string[] } }).chat;
      return { transport: c.transport, errors: c.errors };
    });
    const records = await appRecords<ReplicaRecord>(stack, "/debug/realtime");
    const reached = (id: string) => records.filter((r) => r.requestsBySession[id]).map((r) => r.replica ?? "app");
    const ids = [...sessions];
    return {
      transport: chat.transport,
      sent: sent !== null,
      delivered,
      sessions: ids.length,
      replicas: [...new Set(ids.flatMap(reached))].sort(),
      failed: [...failed].sort(),
      // Each replica's requests of this page's sessions, by kind, summed over the sessions.
      requestsByReplica: Object.fromEntries(
        records.map((r) => {
          const kinds: Record<string, number> = {};
          for (const id of ids)
            for (const [kind, n] of Object.entries(r.requestsBySession[id] ?? {})) kinds[kind] = (kinds[kind] ?? 0) + n;
          return [r.replica ?? "app", kinds];
        }),
      ),
      pageErrors: chat.errors,
    };
  } finally {
    await context.close();
  }
}

test("sockjs-replicas: one SockJS session over WebSocket, then over xhr-streaming, across two app replicas", async ({
  browser,
  stack,
  expectObserved,
}) => {
  test.setTimeout(CHAT_TEST_TIMEOUT_MS);
  const ws = await chatWith(browser, stack, "websocket");
  const fallback = await chatWith(browser, stack, "xhr-streaming");
  const observation: SockJsReplicasObservation = {
    replicas: stack.appDebugUrls.length,
    websocketTransport: ws.transport,
    websocketSent: ws.sent,
    websocketDelivered: ws.delivered,
    websocketReplicas: ws.replicas,
    websocketSpread: ws.replicas.length > 1,
    websocketFailed: ws.failed,
    fallbackTransport: fallback.transport,
    fallbackSent: fallback.sent,
    fallbackDelivered: fallback.delivered,
    fallbackReplicas: fallback.replicas,
    fallbackSpread: fallback.replicas.length > 1,
    fallbackFailed: fallback.failed,
    fallbackRequestsByReplica: fallback.requestsByReplica,
    fallbackErrors: fallback.pageErrors,
  };
  await expectObserved("sockjs-replicas", observation);
});
