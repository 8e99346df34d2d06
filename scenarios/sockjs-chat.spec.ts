import type { Browser, BrowserContext, Page } from "@playwright/test";
import { maxMs, msBetween } from "./browser/clock";
import { familyOf } from "./browser/sockjs-transports";
import { watchWebSocketHandshakes, type HandshakeWatch } from "./browser/websocket-handshakes";
import { expect, test } from "./fixtures/test";
import type { SockJsChatObservation } from "./observations";
import {
  CHAT_ATTEMPTS,
  CHAT_CONNECT_TIMEOUT_MS,
  CHAT_TEST_TIMEOUT_MS,
  DELIVERY_BOUND_MS,
  IDLE_WINDOW_MS,
} from "./timing";
import { appRecords } from "./browser/app-debug";

interface ChatState {
  transport: string | null;
  startedAt: number;
  openedAt: number | null;
  subscribedAt: number | null;
  received: Array<{ from: string; text: string; sentAt: number; receivedAt: number }>;
  errors: string[];
  closes: Array<{ code: number; at: number }>;
}

interface RealtimeRecord {
  /** The replica that opened the session (each record's own `replica`; "app" for a stack's only app). */
  sessions: Array<{ transport: string; openedAt: number; replica: string }>;
  requestsByTransport: Record<string, number>;
}

/** One user says something; every page waits (bounded) until it has that many messages. A failed send is in chat.errors. */
async function sayAndWait(sender: Page, text: string, count: number, pages: readonly Page[]): Promise<void> {
  // A page whose scripts did not load (a proxy that serves them from elsewhere) has no chatSend: nothing is sent.
  const sent = await sender.evaluate(
    (t) => (window as unknown as { chatSend?: (t: string) => number | null }).chatSend?.(t) ?? null,
    text,
  );
  if (sent === null) return;
  for (const page of pages) {
    await page
      .waitForFunction((n) => (window as unknown as { chat: ChatState }).chat.received.length >= n, count, {
        timeout: DELIVERY_BOUND_MS + 1_000,
      })
      .catch(() => undefined);
  }
}

const chatState = (page: Page) => page.evaluate(() => (window as unknown as { chat: ChatState }).chat);

type User = {
  user: string;
  context: BrowserContext;
  page: Page;
  watch: HandshakeWatch;
  requests: () => number;
  connectRequests: number;
  status?: number;
};

/** One chat of two users in `room`: the observation, and the chat page's status. Closes its contexts. */
async function chatOnce(
  browser: Browser,
  stack: { base: string; appDebugUrls: readonly string[] },
  room: string,
): Promise<{ observation: Omit<SockJsChatObservation, "voidAttempts">; status: number | undefined }> {
  const testStart = Date.now();
  // Every replica's record as one: sessions joined, request counts summed.
  const debug = async (): Promise<RealtimeRecord> => {
    const records = await appRecords<
      Omit<RealtimeRecord, "sessions"> & {
        replica: string | null;
        sessions: Array<{ transport: string; openedAt: number }>;
      }
    >(stack, "/debug/realtime");
    const requestsByTransport: Record<string, number> = {};
    for (const r of records)
      for (const [k, n] of Object.entries(r.requestsByTransport))
        requestsByTransport[k] = (requestsByTransport[k] ?? 0) + n;
    return {
      sessions: records
        .flatMap((r) => r.sessions.map((x) => ({ ...x, replica: r.replica ?? "app" })))
        .sort((a, b) => a.openedAt - b.openedAt),
      requestsByTransport,
    };
  };

  // Users join one after the other. SockJS sizes each fallback's timeout from the /info round trip (300 ms +
  // RTT when it is fast), so two pages connecting at once on a busy 2-core machine can lose that race and pick
  // another transport: that would measure the harness's contention, not the proxy.
  const users: User[] = [];
  try {
    for (const user of ["alice", "bob"]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const watch = await watchWebSocketHandshakes(page);
      let requests = 0;
      page.on("request", () => requests++);
      const entry = {
        user,
        context,
        page,
        watch,
        requests: () => requests,
        connectRequests: 0,
        status: (await page.goto(`${stack.base}/chat?room=${room}&user=${user}`))?.status(),
      };
      users.push(entry);
      // Subscribed, or SockJS closed for good (readyState 3 after every transport failed): either is the
      // observation; the table decides. Past the bound, the chat is recorded as not connected.
      await page
        .waitForFunction(
          () => {
            const w = window as unknown as { chat: ChatState; sock?: { readyState: number } };
            return w.chat.subscribedAt !== null || w.sock?.readyState === 3;
          },
          null,
          { timeout: CHAT_CONNECT_TIMEOUT_MS },
        )
        .catch(() => undefined);
      entry.connectRequests = requests;
    }
    const [alice, bob] = users as [(typeof users)[0], (typeof users)[0]];

    // The idle window: connected, subscribed, nobody typing. A measurement window, not a wait for something.
    const requestsBefore = alice.requests();
    const serverBefore = (await debug()).requestsByTransport;
    // eslint-disable-next-line playwright/no-wait-for-timeout -- requests while idle are only seen by waiting
    await alice.page.waitForTimeout(IDLE_WINDOW_MS);
    const idleRequests = alice.requests() - requestsBefore;
    const serverAfter = (await debug()).requestsByTransport;
    const idleServerRequests = Object.fromEntries(
      Object.entries(serverAfter)
        .map(([k, v]) => [k, v - (serverBefore[k] ?? 0)])
        .filter(([, d]) => (d as number) > 0),
    ) as Record<string, number>;

    // Each user says one thing, in turn; both must see both, in that order.
    for (const [i, sender] of [alice, bob].entries())
      await sayAndWait(
        sender.page,
        `hello from ${sender.user}`,
        i + 1,
        users.map((u) => u.page),
      );

    const [a, b] = [await chatState(alice.page), await chatState(bob.page)];
    const expectedOrder = ["hello from alice", "hello from bob"];
    const delivered = [a, b].every(
      (s) => JSON.stringify(s.received.map((m) => m.text)) === JSON.stringify(expectedOrder),
    );
    const latencies = [a, b].flatMap((s) => s.received.map((m) => m.receivedAt - m.sentAt));
    const handshake = alice.watch.handshakes().find((h) => /\/websocket$/.test(h.url));
    // SockJS's retransmission timeout, from its /info round trip: every fallback's timeout is a multiple of it.
    const rtoMs = await alice.page.evaluate(
      () => (window as unknown as { sock?: { _rto?: number } }).sock?._rto ?? null,
    );
    const server = await debug();

    const observation: Omit<SockJsChatObservation, "voidAttempts"> = {
      transport: a.transport,
      peerTransport: b.transport,
      transportFamily: familyOf(a.transport),
      peerTransportFamily: familyOf(b.transport),
      serverTransports: server.sessions.filter((s) => s.openedAt >= testStart - 1_000).map((s) => s.transport),
      serverReplicas: [
        ...new Set(server.sessions.filter((s) => s.openedAt >= testStart - 1_000).map((s) => s.replica)),
      ].sort(),
      openMs: msBetween(a.startedAt, a.openedAt),
      rtoMs,
      websocketHandshakeStatus: handshake?.status ?? null,
      websocketHandshake101: handshake?.status === 101,
      websocketStatusLine: handshake?.statusLine ?? handshake?.error ?? null,
      pageProtocol: await alice.page.evaluate(
        () => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).nextHopProtocol,
      ),
      connectRequests: alice.connectRequests,
      idleRequests,
      idleServerRequests,
      delivered,
      maxDeliveryMs: maxMs(latencies),
      closeCodes: a.closes.map((c) => c.code),
      errors: [...a.errors, ...b.errors],
    };
    return { observation, status: alice.status };
  } finally {
    await Promise.all(users.map((u) => u.context.close()));
  }
}

/**
 * A chat the page cannot vouch for: the server opened a WebSocket session, so the proxy passed the upgrade, yet
 * a page ended on another transport. SockJS gives each transport 2 × its RTO (300 ms + the /info RTT) to open;
 * a busy core can make the page miss that, and the fallback then measures the machine, not the proxy.
 */
const voidReason = (o: Omit<SockJsChatObservation, "voidAttempts">): string | null =>
  o.serverTransports.includes("websocket") && (o.transport !== "websocket" || o.peerTransport !== "websocket")
    ? "the server opened a WebSocket session, but SockJS on the page gave up on it (its transport timer)"
    : null;

/** Chats until one the page can vouch for, at most CHAT_ATTEMPTS; the voided ones are in the observation. */
async function chatUntilVouched(
  browser: Browser,
  stack: { base: string; appDebugUrls: readonly string[] },
  roomBase: string,
): Promise<{ observation: SockJsChatObservation; status: number | undefined }> {
  const voidAttempts: SockJsChatObservation["voidAttempts"] = [];
  for (;;) {
    const { observation, status } = await chatOnce(browser, stack, `${roomBase}-${voidAttempts.length}`);
    const reason = voidReason(observation);
    if (!reason || voidAttempts.length + 1 >= CHAT_ATTEMPTS)
      return { observation: { ...observation, voidAttempts }, status };
    voidAttempts.push({
      reason,
      transports: [observation.transport, observation.peerTransport],
      serverTransports: observation.serverTransports,
      rtoMs: observation.rtoMs,
    });
  }
}

// Field report B6: SockJS + STOMP chat behind a proxy that may not pass WebSocket upgrades.
test("sockjs-chat: two users chat over SockJS + STOMP; which transport, the handshake, requests while idle", async ({
  browser,
  stack,
  expectObserved,
}, testInfo) => {
  // Two users may each walk SockJS's whole fallback chain, whose timeouts scale with the measured RTT.
  test.setTimeout(CHAT_TEST_TIMEOUT_MS * CHAT_ATTEMPTS);
  const { observation, status } = await chatUntilVouched(
    browser,
    stack,
    `room-${testInfo.testId}-${testInfo.repeatEachIndex}`,
  );
  expect(status, "the chat page itself loads").toBe(200);
  await expectObserved("sockjs-chat", observation);
});
