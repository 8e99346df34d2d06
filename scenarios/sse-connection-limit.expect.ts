import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";
import { SSE_STREAMS } from "./timing";

type O = Observations["sse-connection-limit"];

const ALL_OVER_H2: Expectation<O> = {
  must: { pageProtocol: "h2", streamsWithFirstEvent: SSE_STREAMS, fetchCompleted: true },
};
// Chromium opens 6 HTTP/1.1 connections per host; the 7th stream and the fetch wait for one to free up (B5).
const SIX_PER_ORIGIN = (fix: readonly string[]): Expectation<O> => ({
  must: { pageProtocol: "http/1.1", streamsWithFirstEvent: 6, fetchCompleted: false },
  diagnosis: {
    bug: "B5",
    why: "Over HTTP/1.1 a browser keeps at most 6 connections per host and each EventSource holds one: the 7th stream, and any other request to the origin, waits.",
    fix,
  },
});
const NGINX_H2_FIX = ["listen 443 ssl http2;  # nginx < 1.25.1", "http2 on;              # nginx >= 1.25.1"];
// A freshly started Apache's mod_http2 served 6 of the 8 streams for 2 s, later pages all 8: asserted h2 and ≥ 6.
const APACHE_H2: Expectation<O> = {
  must: { pageProtocol: "h2" },
  bounds: { streamsWithFirstEvent: { min: 6, max: SSE_STREAMS } },
};

// HTTP/2, so no six-per-origin limit. (Apache's mod_http2 serves a new connection's first streams a few at a
// time, ~2 s, then all: at least 6, as its rows measure, is healthy; B5 is HTTP/1.1's limit.)
export const healthy: Healthy<"sse-connection-limit"> = {
  must: { pageProtocol: "h2" },
  bounds: { streamsWithFirstEvent: { min: 6, max: SSE_STREAMS } },
};

export const rows: Rows<"sse-connection-limit"> = {
  // HTTP/1.1 to the browser (plain http): 6 per origin (B5).
  "http1.0-default": SIX_PER_ORIGIN(NGINX_H2_FIX),
  // TLS without http2: 6 per origin (B5).
  "missing-upgrade": SIX_PER_ORIGIN(NGINX_H2_FIX),
  "buffering-on": ALL_OVER_H2,
  // No http2 on the listen: 6 per origin (B5).
  "buffering-on-http1": SIX_PER_ORIGIN(NGINX_H2_FIX),
  "short-read-timeout": ALL_OVER_H2,
  "gzip-event-stream": ALL_OVER_H2,
  fixed: ALL_OVER_H2,
  // As fixed here: the location that loses the headers serves sign-in and WebSockets, not this path.
  "header-inheritance": ALL_OVER_H2,
  "port-8443-host": ALL_OVER_H2,
  "port-8443-http-host": ALL_OVER_H2,
  "apache-naive": APACHE_H2,
  "apache-fixed": APACHE_H2,
  "apache-upstream-host": APACHE_H2,
  "apache-short-timeout": APACHE_H2,
  // No `alpn h2,http/1.1` on the bind: HTTP/1.1 only (B5).
  "haproxy-naive": SIX_PER_ORIGIN(["bind :443 ssl crt /etc/proxylab/tls/server.pem alpn h2,http/1.1"]),
  "haproxy-fixed": ALL_OVER_H2,
  "haproxy-short-timeout": ALL_OVER_H2,
  "caddy-default": ALL_OVER_H2,
  "caddy-encode-gzip": ALL_OVER_H2,
};
