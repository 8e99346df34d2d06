import type { Observations, ScenarioName, SplitScenario } from "./observations";
import {
  ABORT_NOTICED,
  ALL_OVER_H2,
  CHAT_FALLS_BACK_TO_STREAMING,
  CHAT_ON_WEBSOCKET,
  CHAT_ON_WEBSOCKET_OVER_H2,
  ECHO_WORKS,
  ECHO_WORKS_OVER_H2,
  NEVER_CUT,
  OPENS_AT_ONCE,
  OPENS_WITH_FIRST_BYTE_ON_H2,
  SECURE_UUID,
  SIGNED_IN,
  SIX_PER_ORIGIN,
  STREAMED,
  WRONG_MIME,
  type Expectation,
} from "./expectation-rows";
import { SSE_STREAMS } from "./timing";

type OtherProxyVariant = "apache-naive" | "apache-fixed" | "apache-short-timeout" | "haproxy-naive" | "haproxy-fixed" | "haproxy-short-timeout" | "caddy-default" | "caddy-encode-gzip";
type Rows = { [S in Exclude<ScenarioName, SplitScenario>]: Record<OtherProxyVariant, Expectation<Observations[S]>> };

/** One row for all eight (then overridden where a proxy differs). */
const ALL_EIGHT = <O>(row: Expectation<O>): Record<OtherProxyVariant, Expectation<O>> => ({
  "apache-naive": row,
  "apache-fixed": row,
  "apache-short-timeout": row,
  "haproxy-naive": row,
  "haproxy-fixed": row,
  "haproxy-short-timeout": row,
  "caddy-default": row,
  "caddy-encode-gzip": row,
});

// mod_proxy adds X-Forwarded-Host (so the app sees app.test:<port>) but no X-Forwarded-Proto; HAProxy adds
// neither, and its Host is the browser's. Either way the app builds http://app.test:<port>/oauth/callback.
const HTTP_REDIRECT_URI: Expectation<Observations["oauth-login"]> = {
  must: { outcome: "redirect_uri_mismatch", finalStatus: 400, redirectUriMatchesRegistered: false },
};

// A quiet stream cut by the proxy's idle timeout, then resumed from Last-Event-ID, as on nginx's short-read-timeout.
const CUT_WHEN_QUIET: Expectation<Observations["sse-idle-resume"]> = {
  must: { quietReconnects: 1, quietResumedFrom: ["3"], quietExactlyOnce: true, heartbeatReconnects: 0, heartbeatExactlyOnce: true },
};

/**
 * Apache httpd, HAProxy and Caddy (bookworm's packages), each scenario measured on the real stack. Part of the
 * one table: scenarios/expectations.ts spreads these rows into each scenario's.
 */
export const OTHER_PROXY_ROWS: Rows = {
  "random-uuid": {
    ...ALL_EIGHT({ must: { ...SECURE_UUID, nextHopProtocol: "h2" } }),
    "haproxy-naive": { must: { ...SECURE_UUID, nextHopProtocol: "http/1.1" } },
  },
  "oauth-login": {
    ...ALL_EIGHT({ must: SIGNED_IN }),
    "apache-naive": {
      ...HTTP_REDIRECT_URI,
      diagnosis: {
        bug: "B1",
        why: "mod_proxy forwards X-Forwarded-Host but not X-Forwarded-Proto: the app builds an http:// redirect_uri and the provider rejects it.",
        fix: ["ProxyPreserveHost On", 'RequestHeader set X-Forwarded-Proto "https"'],
      },
    },
    "haproxy-naive": {
      ...HTTP_REDIRECT_URI,
      diagnosis: {
        bug: "B1",
        why: "HAProxy forwards no X-Forwarded-Proto unless told to: the app builds an http:// redirect_uri and the provider rejects it.",
        fix: ["option forwardfor", "http-request set-header X-Forwarded-Proto https if { ssl_fc }"],
      },
    },
  },
  "sockjs-chat": {
    ...ALL_EIGHT(CHAT_ON_WEBSOCKET),
    "apache-naive": {
      // A GET without Upgrade reaches sockjs: 400; xhr-streaming then works (7 requests measured).
      ...CHAT_FALLS_BACK_TO_STREAMING,
      diagnosis: {
        bug: "B6",
        why: "A plain ProxyPass does not tunnel WebSockets: the handshake reaches the app without Upgrade and never gets 101; SockJS falls back to xhr-streaming.",
        fix: ["ProxyPass / http://app/ upgrade=websocket"],
      },
    },
    // Measured: the chat survives the 3 s idle window with ProxyTimeout 2 (STOMP heart-beats every 10 s).
    // Why: an upgraded connection is a mod_proxy tunnel whose idle timeout is the larger of the two sockets'
    // (ap_proxy_tunnel_create, "the biggest timeout of both connections"): the client side's is the server's
    // `Timeout`, 300 s in Debian's apache2.conf. ProxyTimeout alone bounds proxied responses (the SSE cut
    // below), not tunnels.
    "apache-short-timeout": CHAT_ON_WEBSOCKET,
    "haproxy-fixed": CHAT_ON_WEBSOCKET_OVER_H2,
    "haproxy-short-timeout": {
      // Over HTTP/2 (200), then cut after 2 s without data: the chat is dead after the idle window.
      must: { transport: "websocket", websocketHandshakeStatus: 200, delivered: false, closeCodes: [1006] },
      diagnosis: {
        bug: "B12",
        why: "Without `timeout tunnel`, an upgraded connection is bounded by timeout client/server: a WebSocket quiet for longer is closed. Heart-beats slower than the timeout do not keep it open.",
        fix: ["timeout tunnel 1h"],
      },
    },
  },
  "websocket-raw": {
    ...ALL_EIGHT(ECHO_WORKS),
    "apache-naive": {
      must: { opened: false, echoed: false, closeCode: 1006, handshakeStatus: 426 },
      diagnosis: { bug: "B6", why: "A plain ProxyPass does not tunnel WebSockets: the app sees a GET without Upgrade and answers 426.", fix: ["ProxyPass / http://app/ upgrade=websocket"] },
    },
    "haproxy-fixed": ECHO_WORKS_OVER_H2,
    "haproxy-short-timeout": ECHO_WORKS_OVER_H2,
  },
  // Every one streams. HAProxy without `option http-no-delay` added no delay here (haproxy-naive: latencies 1-6 ms,
  // median 2), and Caddy's `encode gzip` flushes each event of a text/event-stream response (3 ms).
  "sse-timing": ALL_EIGHT(STREAMED),
  "sse-timing-x-accel": ALL_EIGHT(STREAMED),
  "sse-open-latency": {
    // Headers go at once over h2 (Apache 39 ms, HAProxy 42, Caddy 244 without the opening comment).
    ...ALL_EIGHT({ ...OPENS_AT_ONCE, must: { pageProtocol: "h2" } }),
    "haproxy-naive": { ...OPENS_AT_ONCE, must: { pageProtocol: "http/1.1" } },
    // `encode` holds the headers until the first write; the app's opening comment opens it at once (1574 vs 17 ms).
    "caddy-encode-gzip": OPENS_WITH_FIRST_BYTE_ON_H2,
  },
  "sse-connection-limit": {
    ...ALL_EIGHT(ALL_OVER_H2),
    // mod_http2 on a freshly started Apache served 6 of the 8 streams (and not the fetch) for 2 s; later pages
    // get all 8 (apache-fixed × 3: 6, 8, 8; apache-naive × 3: 6, 8, 8). Asserted: h2, and at least 6.
    "apache-naive": { must: { pageProtocol: "h2" }, bounds: { streamsWithFirstEvent: { min: 6, max: SSE_STREAMS } } },
    "apache-fixed": { must: { pageProtocol: "h2" }, bounds: { streamsWithFirstEvent: { min: 6, max: SSE_STREAMS } } },
    "apache-short-timeout": { must: { pageProtocol: "h2" }, bounds: { streamsWithFirstEvent: { min: 6, max: SSE_STREAMS } } },
    "haproxy-naive": {
      ...SIX_PER_ORIGIN,
      diagnosis: { ...SIX_PER_ORIGIN.diagnosis!, fix: ["bind :443 ssl crt /etc/proxylab/tls/server.pem alpn h2,http/1.1"] },
    },
  },
  "sse-client-abort": ALL_EIGHT(ABORT_NOTICED),
  "sse-wrong-mime": ALL_EIGHT(WRONG_MIME),
  "sse-idle-resume": {
    ...ALL_EIGHT(NEVER_CUT),
    "apache-short-timeout": {
      ...CUT_WHEN_QUIET,
      diagnosis: {
        bug: "B12",
        why: "ProxyTimeout bounds the wait for upstream data: a quiet SSE stream is cut. The browser reconnects; only resuming from Last-Event-ID keeps every event, and heartbeats avoid the cut.",
        fix: ["ProxyTimeout 3600", "# and from the app: a ': heartbeat' comment more often than the timeout"],
      },
    },
    "haproxy-short-timeout": {
      ...CUT_WHEN_QUIET,
      diagnosis: {
        bug: "B12",
        why: "timeout server (and client) bound a quiet response: the SSE stream is cut. The browser reconnects; only resuming from Last-Event-ID keeps every event, and heartbeats avoid the cut.",
        fix: ["timeout server 1h", "timeout client 1h", "# and from the app: a ': heartbeat' comment more often than the timeout"],
      },
    },
  },
};
