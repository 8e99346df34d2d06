import { UPLOAD_FIX } from "../proxies/nginx/faults";
import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["upload-limit"];

// The ladder is 64 KiB, 2 MiB and 16 MiB (scenarios/timing.ts): healthy passes all of it, and the app sees a
// streamed body's first part before the page sends the rest (or the page cannot stream one: HTTP/1.1), and the
// streamed upload itself succeeds.
export const healthy: Healthy<"upload-limit"> = {
  must: { firstFailingBytes: null, bodyHeld: false, streamedFailed: false },
};
const passes = (streamedUpload: O["streamedUpload"]): Expectation<O> => ({
  must: { firstFailingBytes: null, bodyHeld: false, streamedFailed: false, streamedUpload },
});

const NGINX_WHY =
  'nginx refuses a request body over client_max_body_size, 1m by default: a 2 MiB upload gets 413 Request Entity Too Large, and the error log says "client intended to send too large body".';
const HELD_WHY =
  " With proxy_request_buffering on (the default), nginx also reads a whole body before the app sees a byte: an upload's progress reaches 100 % while the app still waits.";
// nginx's defaults over HTTP/2: both; over HTTP/1.1, Chromium cannot stream a body, so only the limit shows.
const NGINX_H2: Expectation<O> = {
  must: { firstFailingBytes: 2_097_152, failStatus: 413, streamedUpload: "held" },
  diagnosis: { bug: "B19", why: NGINX_WHY + HELD_WHY, fix: UPLOAD_FIX },
};
const NGINX_HTTP1: Expectation<O> = {
  must: { firstFailingBytes: 2_097_152, failStatus: 413, streamedUpload: "not-possible" },
  diagnosis: { bug: "B19", why: NGINX_WHY, fix: UPLOAD_FIX },
};

export const rows: Rows<"upload-limit"> = {
  // nginx's defaults: client_max_body_size 1m and proxy_request_buffering on (B19 in every variant but fixed).
  "http1.0-default": NGINX_HTTP1,
  "missing-upgrade": NGINX_HTTP1,
  "buffering-on": NGINX_H2,
  "buffering-on-http1": NGINX_HTTP1,
  "short-read-timeout": NGINX_H2,
  "gzip-event-stream": NGINX_H2,
  // client_max_body_size 50m; proxy_request_buffering off.
  fixed: passes("passed-on"),
  "header-inheritance": NGINX_H2,
  "port-8443-host": NGINX_H2,
  "port-8443-http-host": NGINX_H2,
  // Apache applies no LimitRequestBody to a proxied request (measured: 413 on a path it serves itself, 200 through
  // ProxyPass, with the same 100 KB limit), and mod_proxy_http streams a body on.
  "apache-naive": passes("passed-on"),
  "apache-fixed": passes("passed-on"),
  "apache-upstream-host": passes("passed-on"),
  "apache-short-timeout": passes("passed-on"),
  // HAProxy sets no body limit and streams bodies unless `option http-buffer-request`; haproxy-naive is HTTP/1.1.
  "haproxy-naive": passes("not-possible"),
  "haproxy-fixed": passes("passed-on"),
  "haproxy-short-timeout": passes("passed-on"),
  // Caddy sets no body limit unless `request_body { max_size }`, and streams bodies on.
  "caddy-default": passes("passed-on"),
  "caddy-encode-gzip": passes("passed-on"),
};
