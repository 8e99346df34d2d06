import { WS_FIX, type Expectation, type Healthy, type Rows } from "./expectation";
import type { Observations } from "./observations";
import { DELIVERY_BOUND_MS } from "./timing";

type O = Observations["sockjs-chat"];

// Over WebSocket: the page, its two scripts and /info (4 requests measured; 5 allows a favicon), nothing while idle.
const CHAT_ON_WEBSOCKET: Expectation<O> = {
  must: {
    transport: "websocket",
    peerTransport: "websocket",
    transportFamily: "websocket",
    peerTransportFamily: "websocket",
    websocketHandshakeStatus: 101,
    websocketHandshake101: true,
    delivered: true,
    closeCodes: [],
  },
  bounds: { connectRequests: { max: 5 }, idleRequests: { max: 0 }, maxDeliveryMs: { max: DELIVERY_BOUND_MS } },
};
// A WebSocket over HTTP/2 (RFC 8441): success is 200, not 101.
const CHAT_ON_WEBSOCKET_OVER_H2: Expectation<O> = {
  ...CHAT_ON_WEBSOCKET,
  must: {
    transport: "websocket",
    peerTransport: "websocket",
    transportFamily: "websocket",
    peerTransportFamily: "websocket",
    websocketHandshakeStatus: 200,
    delivered: true,
    closeCodes: [],
  },
};
// No Upgrade reaches the app: sockjs answers the GET 400 and SockJS stops at a streaming transport (7 requests
// measured). The family is asserted: a slow /info may move SockJS on to eventsource; one heart-beat may fall idle.
const CHAT_FALLS_BACK_TO_STREAMING: Pick<Expectation<O>, "must" | "bounds"> = {
  must: {
    transportFamily: "streaming",
    peerTransportFamily: "streaming",
    websocketHandshakeStatus: 400,
    websocketHandshake101: false,
    delivered: true,
  },
  bounds: { connectRequests: { min: 5, max: 9 }, idleRequests: { max: 1 }, maxDeliveryMs: { max: DELIVERY_BOUND_MS } },
};

// On the WebSocket, whichever handshake: 101 over HTTP/1.1, 200 over HTTP/2 (RFC 8441).
// (How many requests connecting takes is the registry rows' business: a page's own extras, a favicon the proxy
// serves, are not the chat's health.)
export const healthy: Healthy<"sockjs-chat"> = {
  bounds: { idleRequests: { max: 0 }, maxDeliveryMs: { max: DELIVERY_BOUND_MS } },
  must: {
    transport: "websocket",
    peerTransport: "websocket",
    transportFamily: "websocket",
    peerTransportFamily: "websocket",
    delivered: true,
    closeCodes: [],
  },
};

export const rows: Rows<"sockjs-chat"> = {
  // No Upgrade (HTTP/1.0 could not carry it) and buffering stalls every streaming transport: xhr-polling (B6).
  "http1.0-default": {
    must: {
      transportFamily: "polling",
      peerTransportFamily: "polling",
      websocketHandshakeStatus: 400,
      websocketHandshake101: false,
      delivered: true,
    },
    bounds: { connectRequests: { min: 10 }, idleRequests: { max: 2 }, maxDeliveryMs: { max: DELIVERY_BOUND_MS } },
    diagnosis: {
      bug: "B6",
      why: "No Upgrade/Connection headers reach the app (and HTTP/1.0 cannot carry them): the WebSocket handshake is a plain GET, SockJS falls back; buffering on then stalls xhr-streaming too, so it ends on xhr-polling.",
      fix: [...WS_FIX, "proxy_buffering off;"],
    },
  },
  // nginx 1.29.7 made HTTP/1.1 the upstream default: streaming now streams, but still no Upgrade (B6).
  "http1.0-default@1.30": {
    ...CHAT_FALLS_BACK_TO_STREAMING,
    diagnosis: {
      bug: "B6",
      why: "A bare proxy_pass forwards no Upgrade/Connection headers (since nginx 1.29.7 it speaks HTTP/1.1 upstream, but that does not forward them): the handshake reaches the app as a plain GET; SockJS falls back to xhr-streaming.",
      fix: WS_FIX,
    },
  },
  // No Upgrade forwarded, buffering off: SockJS stops at xhr-streaming (B6).
  "missing-upgrade": {
    ...CHAT_FALLS_BACK_TO_STREAMING,
    diagnosis: {
      bug: "B6",
      why: "No Upgrade/Connection headers are forwarded: the WebSocket handshake reaches the app as a plain GET and never gets 101; SockJS falls back to xhr-streaming.",
      fix: WS_FIX,
    },
  },
  // Buffering does not touch an upgraded connection.
  "buffering-on": CHAT_ON_WEBSOCKET,
  "buffering-on-http1": CHAT_ON_WEBSOCKET,
  // The WebSocket opens, then nginx closes it after 2 s without upstream data (heart-beats come every 10 s): B12.
  "short-read-timeout": {
    must: { transport: "websocket", websocketHandshake101: true, delivered: false, closeCodes: [1006] },
    diagnosis: {
      bug: "B12",
      why: "proxy_read_timeout also bounds an idle WebSocket: nginx closes it when the upstream is silent that long. Heart-beats slower than the timeout do not keep it open.",
      fix: [
        "proxy_read_timeout 1h;",
        "# or heart-beats faster than the timeout: new StompJs.Client({ heartbeatIncoming: 1000, heartbeatOutgoing: 1000 })",
      ],
    },
  },
  // gzip does not touch an upgraded connection.
  "gzip-event-stream": CHAT_ON_WEBSOCKET,
  fixed: CHAT_ON_WEBSOCKET,
  // Upgrade and Connection are this location's own: the handshake is 101; the Host it lost is not checked here.
  "header-inheritance": CHAT_ON_WEBSOCKET,
  // Upgrade forwarded; the port changes nothing here.
  "port-8443-host": CHAT_ON_WEBSOCKET,
  "port-8443-http-host": CHAT_ON_WEBSOCKET,
  // A plain ProxyPass does not tunnel WebSockets: 400, then xhr-streaming (B6).
  "apache-naive": {
    ...CHAT_FALLS_BACK_TO_STREAMING,
    diagnosis: {
      bug: "B6",
      why: "A plain ProxyPass does not tunnel WebSockets: the handshake reaches the app without Upgrade and never gets 101; SockJS falls back to xhr-streaming.",
      fix: ["ProxyPass / http://app/ upgrade=websocket"],
    },
  },
  "apache-fixed": CHAT_ON_WEBSOCKET,
  "apache-upstream-host": CHAT_ON_WEBSOCKET,
  // Not cut: a mod_proxy tunnel waits the larger of its sockets' timeouts, the client side's `Timeout`
  // (docs/findings.md).
  "apache-short-timeout": CHAT_ON_WEBSOCKET,
  // HTTP/1.1 to the browser: a classic 101 upgrade, which HAProxy passes by default.
  "haproxy-naive": CHAT_ON_WEBSOCKET,
  // alpn h2: the WebSocket goes over HTTP/2 (RFC 8441).
  "haproxy-fixed": CHAT_ON_WEBSOCKET_OVER_H2,
  // Over HTTP/2, then cut after 2 s without data: no `timeout tunnel` (B12).
  "haproxy-short-timeout": {
    must: { transport: "websocket", websocketHandshakeStatus: 200, delivered: false, closeCodes: [1006] },
    diagnosis: {
      bug: "B12",
      why: "Without `timeout tunnel`, an upgraded connection is bounded by timeout client/server: a WebSocket quiet for longer is closed. Heart-beats slower than the timeout do not keep it open.",
      fix: ["timeout tunnel 1h"],
    },
  },
  // Caddy passes upgrades by default.
  "caddy-default": CHAT_ON_WEBSOCKET,
  "caddy-encode-gzip": CHAT_ON_WEBSOCKET,
};
