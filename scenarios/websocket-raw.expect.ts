import { WS_FIX, type Expectation, type Healthy, type Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["websocket-raw"];

const ECHO_WORKS: Expectation<O> = { must: { opened: true, echoed: true, handshakeStatus: 101, closeCode: 1000 } };
// A WebSocket over HTTP/2 (RFC 8441): the proxy offers extended CONNECT, Chromium uses it, success is 200.
const ECHO_WORKS_OVER_H2: Expectation<O> = {
  must: { opened: true, echoed: true, handshakeStatus: 200, closeCode: 1000 },
};
// The app answers a GET without Upgrade on the echo path with 426; Chromium reports it and closes with 1006.
const HANDSHAKE_426: Expectation<O>["must"] = { opened: false, echoed: false, closeCode: 1006, handshakeStatus: 426 };

export const healthy: Healthy<"websocket-raw"> = { must: { opened: true, echoed: true, closeCode: 1000 } };

export const rows: Rows<"websocket-raw"> = {
  // A bare proxy_pass drops Upgrade/Connection: 426 (B6).
  "http1.0-default": {
    must: HANDSHAKE_426,
    diagnosis: {
      bug: "B6",
      why: "Upgrade/Connection are not forwarded (a bare proxy_pass drops them, and its HTTP/1.0 upstream could not carry them): the app sees a plain GET and the handshake fails.",
      fix: WS_FIX,
    },
  },
  // Upgrade/Connection not forwarded: 426 (B6).
  "missing-upgrade": {
    must: HANDSHAKE_426,
    diagnosis: {
      bug: "B6",
      why: "Upgrade/Connection are not forwarded: the app sees a plain GET and the handshake fails.",
      fix: WS_FIX,
    },
  },
  // These forward Upgrade/Connection; the echo is instant, so no timeout shows.
  "buffering-on": ECHO_WORKS,
  "buffering-on-http1": ECHO_WORKS,
  "short-read-timeout": ECHO_WORKS,
  "gzip-event-stream": ECHO_WORKS,
  fixed: ECHO_WORKS,
  // Both hops forward the upgrade.
  "chain-nginx-nginx": ECHO_WORKS,
  "chain-nginx-nginx-fixed": ECHO_WORKS,
  // The stock edge, as ALB, offers no WebSocket over HTTP/2: the browser upgrades over HTTP/1.1, 101.
  "edge-scheme-overwrite": ECHO_WORKS,
  "edge-fixed": ECHO_WORKS,
  // Upgrade and Connection are this location's own: the handshake is 101; the Host it lost is not checked here.
  "header-inheritance": ECHO_WORKS,
  "port-8443-host": ECHO_WORKS,
  "port-8443-http-host": ECHO_WORKS,
  // A plain ProxyPass does not tunnel WebSockets: 426 (B6).
  "apache-naive": {
    must: HANDSHAKE_426,
    diagnosis: {
      bug: "B6",
      why: "A plain ProxyPass does not tunnel WebSockets: the app sees a GET without Upgrade and answers 426.",
      fix: ["ProxyPass / http://app/ upgrade=websocket"],
    },
  },
  "apache-fixed": ECHO_WORKS,
  "apache-upstream-host": ECHO_WORKS,
  "apache-short-timeout": ECHO_WORKS,
  // HTTP/1.1 to the browser: a 101 upgrade.
  "haproxy-naive": ECHO_WORKS,
  // alpn h2: over HTTP/2 (RFC 8441), 200.
  "haproxy-fixed": ECHO_WORKS_OVER_H2,
  "haproxy-short-timeout": ECHO_WORKS_OVER_H2,
  "caddy-default": ECHO_WORKS,
  "caddy-encode-gzip": ECHO_WORKS,
};
