import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["websocket-origin"];

// Host as the browser sent it: both WebSockets open; SockJS stays on its WebSocket; the app refuses nothing.
const ORIGIN_PASSES: Expectation<O> = {
  must: { rawOpened: true, rawEchoed: true, sockjsOpened: true, sockjsTransport: "websocket", rejections: [] },
};
// No Upgrade reaches the app (B6 first): the echo path answers the plain GET 426, sockjs 400, and SockJS walks
// on to its HTTP transports; no handshake ever reaches the origin check.
const NO_UPGRADE: Expectation<O>["must"] = {
  rawOpened: false,
  rawHandshakeStatus: 426,
  sockjsHandshakeStatus: 400,
  sockjsOpened: true,
  rejections: [],
};
const noUpgradeRow = (why: string, fix: readonly string[]): Expectation<O> => ({
  must: NO_UPGRADE,
  diagnosis: { bug: "B6", why, fix },
});
// The app refuses both handshakes with 403 (Origin https://app.test…, Host `host`); SockJS then streams.
const refusedWith = (host: string): Expectation<O>["must"] => ({
  rawOpened: false,
  rawHandshakeStatus: 403,
  sockjsHandshakeStatus: 403,
  sockjsOpened: true,
  sockjsTransportFamily: "streaming",
  rejectedHost: host,
});

// The app refused no handshake (its own record covers SockJS's too) and the raw echo works. SockJS's transport
// is not asked: a config whose assets come from elsewhere leaves no SockJS here (sockjs-chat shows that).
export const healthy: Healthy<"websocket-origin"> = {
  must: { rawOpened: true, rawEchoed: true, rejections: [] },
};

const NGINX_WS_FIX = [
  "proxy_http_version 1.1;",
  "proxy_set_header Upgrade $http_upgrade;",
  "proxy_set_header Connection $connection_upgrade;",
];

export const rows: Rows<"websocket-origin"> = {
  // No Upgrade forwarded: 426 and 400 before any origin check (B6).
  "http1.0-default": noUpgradeRow(
    "A bare proxy_pass forwards no Upgrade/Connection: the handshakes never reach the app's origin check.",
    NGINX_WS_FIX,
  ),
  "missing-upgrade": noUpgradeRow(
    "No Upgrade/Connection headers are forwarded: the handshakes never reach the app's origin check.",
    NGINX_WS_FIX,
  ),
  // Host $http_host: the Host the browser sent, which matches its Origin.
  "buffering-on": ORIGIN_PASSES,
  "buffering-on-http1": ORIGIN_PASSES,
  "short-read-timeout": ORIGIN_PASSES,
  "gzip-event-stream": ORIGIN_PASSES,
  fixed: ORIGIN_PASSES,
  // The WebSocket location sets its own headers and inherits no Host: nginx sends `Host: app` (B16, seen as B15).
  "header-inheritance": {
    must: refusedWith("app"),
    diagnosis: {
      bug: "B15",
      why: "B16: the location that serves the WebSockets sets proxy_set_header of its own (Upgrade, Connection), so the server's Host is not inherited: nginx sends Host: app, and the app's origin check (Origin https://app.test) refuses the handshake.",
      fix: ["# in that location, beside its own proxy_set_header lines:", "proxy_set_header Host $http_host;"],
    },
  },
  // `$host` drops the public port: Origin https://app.test:8443 against Host app.test (B15).
  "port-8443-host": {
    must: refusedWith("app.test"),
    diagnosis: {
      bug: "B15",
      why: "`proxy_set_header Host $host;` drops the public port: the page's Origin is https://app.test:8443, the app sees Host app.test, and its origin check refuses the handshake.",
      fix: ["proxy_set_header Host $http_host;  # the Host header as sent, port included"],
    },
  },
  "port-8443-http-host": ORIGIN_PASSES,
  // A plain ProxyPass does not tunnel WebSockets (B6).
  "apache-naive": noUpgradeRow(
    "A plain ProxyPass does not tunnel WebSockets: the handshakes never reach the app's origin check.",
    ["ProxyPass / http://app/ upgrade=websocket"],
  ),
  "apache-fixed": ORIGIN_PASSES,
  // No ProxyPreserveHost: mod_proxy sends Host: app (the browser's host goes in X-Forwarded-Host) (B15).
  "apache-upstream-host": {
    must: refusedWith("app"),
    diagnosis: {
      bug: "B15",
      why: "Without ProxyPreserveHost, mod_proxy sends the upstream's name as Host (app): the app's origin check compares it with Origin https://app.test and refuses the handshake.",
      fix: ["ProxyPreserveHost On"],
    },
  },
  "apache-short-timeout": ORIGIN_PASSES,
  // HAProxy and Caddy forward Host as the browser sent it unless a rule rewrites it: B15 needs such a rule.
  "haproxy-naive": ORIGIN_PASSES,
  "haproxy-fixed": ORIGIN_PASSES,
  "haproxy-short-timeout": ORIGIN_PASSES,
  "caddy-default": ORIGIN_PASSES,
  "caddy-encode-gzip": ORIGIN_PASSES,
};
