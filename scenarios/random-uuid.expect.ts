import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["random-uuid"];

const SECURE_UUID: Expectation<O>["must"] = {
  status: 200,
  protocol: "https:",
  isSecureContext: true,
  randomUUIDType: "function",
  fallbackIsV4: true,
  appIdIsV4: true,
};
const SECURE_H2: Expectation<O> = { must: { ...SECURE_UUID, nextHopProtocol: "h2" } };
const SECURE_HTTP1: Expectation<O> = { must: { ...SECURE_UUID, nextHopProtocol: "http/1.1" } };

export const healthy: Healthy<"random-uuid"> = { must: SECURE_UUID };

export const rows: Rows<"random-uuid"> = {
  // Plain http on a real hostname is not a secure context: randomUUID is missing, the fallback works (B3).
  "http1.0-default": {
    must: {
      status: 200,
      protocol: "http:",
      nextHopProtocol: "http/1.1",
      isSecureContext: false,
      randomUUIDType: "undefined",
      fallbackIsV4: true,
      appIdIsV4: true,
    },
    diagnosis: {
      bug: "B3",
      why: "crypto.randomUUID exists only in secure contexts; a plain-http page on a real hostname (not localhost) is not one. The getRandomValues fallback works everywhere.",
      fix: [
        "listen 443 ssl;",
        "ssl_certificate     /etc/proxylab/tls/server.crt;",
        "ssl_certificate_key /etc/proxylab/tls/server.key;",
      ],
    },
  },
  // TLS without http2: secure, over HTTP/1.1.
  "missing-upgrade": SECURE_HTTP1,
  // The rest serve TLS with HTTP/2.
  "buffering-on": SECURE_H2,
  // No http2 on the listen: secure, over HTTP/1.1.
  "buffering-on-http1": SECURE_HTTP1,
  "short-read-timeout": SECURE_H2,
  "gzip-event-stream": SECURE_H2,
  fixed: SECURE_H2,
  // As fixed here: the location that loses the headers serves sign-in and WebSockets, not this path.
  "header-inheritance": SECURE_H2,
  // TLS and HTTP/2 on port 8443.
  "port-8443-host": SECURE_H2,
  "port-8443-http-host": SECURE_H2,
  // Apache: Debian's http2.conf serves h2 server-wide once mod_http2 is enabled, naive config included.
  "apache-naive": SECURE_H2,
  "apache-fixed": SECURE_H2,
  "apache-upstream-host": SECURE_H2,
  "apache-short-timeout": SECURE_H2,
  // HAProxy without `alpn h2,http/1.1` on its bind speaks HTTP/1.1 only.
  "haproxy-naive": SECURE_HTTP1,
  "haproxy-fixed": SECURE_H2,
  "haproxy-short-timeout": SECURE_H2,
  // Caddy speaks h2 on TLS by default.
  "caddy-default": SECURE_H2,
  "caddy-encode-gzip": SECURE_H2,
};
