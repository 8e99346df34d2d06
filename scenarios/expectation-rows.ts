import type { BugId } from "../lib/bugs";
import type { Observations, ScenarioName } from "./observations";
import { ABORT_NOTICE_BOUND_MS, DELIVERY_BOUND_MS, SSE_LATE_FIRST_MS, SSE_STREAMS } from "./timing";

/**
 * The building blocks of the expectations table: what a row can say, the rows several variants share, and
 * HEALTHY, what "works" means in each scenario. The table itself is scenarios/expectations.ts.
 */

type NumericKeys<O> = { [K in keyof O]-?: O[K] extends number | null ? K : never }[keyof O];

export interface Bound {
  min?: number;
  max?: number;
}

/** What a variant must show in a scenario, and, where that is a known failure, the diagnosis. */
export interface Expectation<O> {
  /** Every field listed must equal the observation's field. */
  must: Partial<O>;
  /** Numeric fields that must lie within a range (inclusive). */
  bounds?: Partial<Record<NumericKeys<O>, Bound>>;
  diagnosis?: {
    bug: BugId;
    why: string;
    /** The directive(s) that fix it, as config lines. */
    fix: readonly string[];
  };
}

export const SECURE_UUID: Expectation<Observations["random-uuid"]>["must"] = {
  status: 200,
  protocol: "https:",
  isSecureContext: true,
  randomUUIDType: "function",
  fallbackIsV4: true,
  appIdIsV4: true,
};

export const SIGNED_IN: Expectation<Observations["oauth-login"]>["must"] = {
  outcome: "signed-in",
  user: "alice",
  finalStatus: 200,
  redirectUriMatchesRegistered: true,
};

export const WS_FIX = [
  "map $http_upgrade $connection_upgrade { default upgrade; '' close; }  # at http {} level, outside server {}",
  "proxy_http_version 1.1;",
  "proxy_set_header Upgrade $http_upgrade;",
  "proxy_set_header Connection $connection_upgrade;",
];

// Connecting over WebSocket takes the page, its two scripts and /info: 4 requests measured; 5 allows a favicon.
// No Upgrade reaches the app: sockjs answers the plain GET 400, and SockJS stops at a streaming transport that
// the proxy forwards as it comes (7 requests measured). Asserted as the family: a slow /info could move SockJS
// on to eventsource. Idle, the stream stays open; one STOMP heart-beat send (every 10 s) may fall in the window.
export const CHAT_FALLS_BACK_TO_STREAMING: Pick<Expectation<Observations["sockjs-chat"]>, "must" | "bounds"> = {
  must: { transportFamily: "streaming", peerTransportFamily: "streaming", websocketHandshakeStatus: 400, websocketHandshake101: false, delivered: true },
  bounds: { connectRequests: { min: 5, max: 9 }, idleRequests: { max: 1 }, maxDeliveryMs: { max: DELIVERY_BOUND_MS } },
};

export const CHAT_ON_WEBSOCKET: Expectation<Observations["sockjs-chat"]> = {
  must: { transport: "websocket", peerTransport: "websocket", transportFamily: "websocket", peerTransportFamily: "websocket", websocketHandshakeStatus: 101, websocketHandshake101: true, delivered: true, closeCodes: [] },
  bounds: { connectRequests: { max: 5 }, idleRequests: { max: 0 }, maxDeliveryMs: { max: DELIVERY_BOUND_MS } },
};

export const ECHO_WORKS: Expectation<Observations["websocket-raw"]> = {
  must: { opened: true, echoed: true, handshakeStatus: 101, closeCode: 1000 },
};

export const BUFFER_FIX = ["proxy_buffering off;", "proxy_cache off;", "proxy_http_version 1.1;", "proxy_set_header Connection '';", "# or, from the app: X-Accel-Buffering: no"];

export const STREAMED: Expectation<Observations["sse-timing"]> = { must: { verdict: "streamed", eventsReceived: 6 } };

// The app flushed its headers at once: with nothing holding them, `open` comes right away, comment or not.
export const OPENS_AT_ONCE: Expectation<Observations["sse-open-latency"]> = {
  must: {},
  bounds: { openMs: { max: SSE_LATE_FIRST_MS / 4 }, openMsWithOpeningComment: { max: SSE_LATE_FIRST_MS / 4 } },
};

// nginx 1.22's HTTP/2 sends a response's HEADERS frame only with its first DATA, whatever proxy_buffering says
// (curl --trace-time on `fixed`: headers at 1.508 s over h2, 0.003 s over HTTP/1.1). So over h2 a stream
// that flushes headers and stays quiet opens with its first event; an opening comment opens it at once.
// No config line fixes this; the app's opening comment (our app's default) does.
export const OPENS_WITH_FIRST_BYTE_ON_H2: Expectation<Observations["sse-open-latency"]> = {
  must: { pageProtocol: "h2" },
  bounds: { openMs: { min: SSE_LATE_FIRST_MS * 0.8 }, openMsWithOpeningComment: { max: SSE_LATE_FIRST_MS / 4 } },
};

export const SIX_PER_ORIGIN: Expectation<Observations["sse-connection-limit"]> = {
  // Chromium opens 6 HTTP/1.1 connections per host; the 7th stream and the fetch wait for one to free up.
  must: { pageProtocol: "http/1.1", streamsWithFirstEvent: 6, fetchCompleted: false },
  diagnosis: {
    bug: "B5",
    why: "Over HTTP/1.1 a browser keeps at most 6 connections per host and each EventSource holds one: the 7th stream, and any other request to the origin, waits.",
    fix: ["listen 443 ssl http2;  # nginx < 1.25.1", "http2 on;              # nginx >= 1.25.1"],
  },
};

export const ALL_OVER_H2: Expectation<Observations["sse-connection-limit"]> = {
  must: { pageProtocol: "h2", streamsWithFirstEvent: SSE_STREAMS, fetchCompleted: true },
};

// One failed write is one way a server learns the client is gone (seen once in 66 cells on a loaded machine:
// a heart-beat landed between nginx closing the upstream and the app's 'close' event). The failure this
// scenario is about is writing on after that: writesAfterAbort.
export const ABORT_NOTICED: Expectation<Observations["sse-client-abort"]> = {
  must: { writesAfterAbort: 0 },
  bounds: { abortNoticedMs: { max: ABORT_NOTICE_BOUND_MS }, writeErrors: { max: 1 } },
};

// The same everywhere: the failure is the app's auth, not the proxy. Chromium gives up at once.
export const WRONG_MIME: Expectation<Observations["sse-wrong-mime"]> = {
  must: {
    status: 200,
    contentType: "text/html; charset=utf-8",
    readyState: 2,
    opened: false,
    attempts: 1,
    consoleError: `EventSource's response has a MIME type ("text/html") that is not "text/event-stream". Aborting the connection.`,
  },
};

export const NEVER_CUT: Expectation<Observations["sse-idle-resume"]> = {
  must: { quietReconnects: 0, quietExactlyOnce: true, heartbeatReconnects: 0, heartbeatExactlyOnce: true },
};

// A WebSocket over HTTP/2 (RFC 8441): the proxy offers extended CONNECT (HAProxy with `alpn h2` does), Chromium
// uses it, and success is 200, not 101 (measured on haproxy-fixed: echo and chat work, status 200).
export const ECHO_WORKS_OVER_H2: Expectation<Observations["websocket-raw"]> = {
  must: { opened: true, echoed: true, handshakeStatus: 200, closeCode: 1000 },
};
export const CHAT_ON_WEBSOCKET_OVER_H2: Expectation<Observations["sockjs-chat"]> = {
  ...CHAT_ON_WEBSOCKET,
  must: { transport: "websocket", peerTransport: "websocket", transportFamily: "websocket", peerTransportFamily: "websocket", websocketHandshakeStatus: 200, delivered: true, closeCodes: [] },
};

/**
 * What "works" means in each scenario, whatever the config: a user's config under `npm run repro` is held to
 * this. Only what any correct config shows, so nothing here depends on nginx's version or on HTTP/2 (nginx 1.22
 * over h2 opens a headers-only stream late even when fixed: only the opening-comment case is required).
 */
export const HEALTHY: { [S in ScenarioName]: Expectation<Observations[S]> } = {
  "random-uuid": { must: SECURE_UUID },
  "oauth-login": { must: SIGNED_IN },
  // On the WebSocket, whichever handshake: 101 over HTTP/1.1, 200 over HTTP/2 (RFC 8441).
  "sockjs-chat": { ...CHAT_ON_WEBSOCKET, must: { transport: "websocket", peerTransport: "websocket", transportFamily: "websocket", peerTransportFamily: "websocket", delivered: true, closeCodes: [] } },
  "websocket-raw": { must: { opened: true, echoed: true, closeCode: 1000 } },
  "sse-timing": STREAMED,
  "sse-timing-x-accel": STREAMED,
  "sse-open-latency": { must: {}, bounds: { openMsWithOpeningComment: { max: SSE_LATE_FIRST_MS / 4 } } },
  "sse-connection-limit": ALL_OVER_H2,
  "sse-client-abort": ABORT_NOTICED,
  "sse-wrong-mime": WRONG_MIME,
  "sse-idle-resume": NEVER_CUT,
  // Split origins: every feature works across the two hosts, and the browser has nothing to complain about.
  "split-rest": { must: { tokenStatus: 200, restStatus: 200, browserError: null, failedRequests: [], pageErrors: [] } },
  "split-sockjs": { must: { opened: true, transport: "websocket", infoStatus: 200, infoHost: "api", browserError: null, pageErrors: [] } },
  "split-sse": { must: { opened: true, events: 2, streamStatus: 200, browserError: null, pageErrors: [] } },
};

