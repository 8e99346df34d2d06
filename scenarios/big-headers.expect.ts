import { BIG_RESPONSE_HEADERS_FIX } from "../proxies/nginx/faults";
import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["big-headers"];

// The ladder is 2, 6, 12 and 24 KB each way (scenarios/timing.ts): healthy passes all of it.
export const healthy: Healthy<"big-headers"> = {
  must: { firstFailingResponseBytes: null, firstFailingRequestBytes: null },
};
const ALL_PASS: Expectation<O> = healthy;

const NGINX_RESPONSE_WHY =
  'nginx reads the app\'s response headers into one proxy_buffer_size buffer, one 4k page by default: 6 KB of Set-Cookie gets 502 and the error log says "upstream sent too big header while reading response header from upstream".';
const NGINX_RESPONSE_FIX = BIG_RESPONSE_HEADERS_FIX;
// nginx over HTTP/2 (h2 pages): only the response side fails; Chromium sends each cookie as its own field
// (RFC 9113 8.2.3), each under the 8k of large_client_header_buffers.
const NGINX_H2: Expectation<O> = {
  must: { firstFailingResponseBytes: 6_144, responseFailStatus: 502, firstFailingRequestBytes: null },
  diagnosis: { bug: "B14", why: NGINX_RESPONSE_WHY, fix: NGINX_RESPONSE_FIX },
};
// nginx over HTTP/1.1: also the request side; the Cookie line passes one 8k large_client_header_buffers
// buffer at 12 KB: 400 "Request Header Or Cookie Too Large".
const NGINX_HTTP1: Expectation<O> = {
  must: {
    firstFailingResponseBytes: 6_144,
    responseFailStatus: 502,
    firstFailingRequestBytes: 12_288,
    requestFailStatus: 400,
  },
  diagnosis: {
    bug: "B14",
    why: `${NGINX_RESPONSE_WHY} Over HTTP/1.1 the Cookie line must also fit one large_client_header_buffers buffer (8k): 12 KB of cookies get 400 "Request Header Or Cookie Too Large".`,
    fix: [...NGINX_RESPONSE_FIX, "large_client_header_buffers 4 32k;  # server or http level"],
  },
};
// Apache over h2: mod_http2 joins the cookies into one field, over LimitRequestFieldSize (8190): 431 at 12 KB.
// Response headers pass: its limit is per line (ProxyPass responsefieldsize, 8192), and each Set-Cookie is 4 KB.
const APACHE_COOKIES_431: Expectation<O> = {
  must: { firstFailingResponseBytes: null, firstFailingRequestBytes: 12_288, requestFailStatus: 431 },
  diagnosis: {
    bug: "B14",
    why: "mod_http2 joins the browser's cookies into one Cookie field, and Apache refuses a field over LimitRequestFieldSize (8190 bytes by default): 12 KB of cookies get 431.",
    fix: ["LimitRequestFieldSize 32768"],
  },
};
const HAPROXY_WHY =
  "HAProxy holds a message's whole header block in one buffer (tune.bufsize, 16384 by default, less tune.maxrewrite): 24 KB of Set-Cookie gets 502";

export const rows: Rows<"big-headers"> = {
  // nginx's defaults: no proxy_buffer_size, no large_client_header_buffers (B14 in every variant but fixed).
  "http1.0-default": NGINX_HTTP1,
  "missing-upgrade": NGINX_HTTP1,
  "buffering-on": NGINX_H2,
  "buffering-on-http1": NGINX_HTTP1,
  "short-read-timeout": NGINX_H2,
  "gzip-event-stream": NGINX_H2,
  // Room for 32k of response headers and 32k request lines (16k measured: the 24 KB step still got 502).
  fixed: ALL_PASS,
  "header-inheritance": NGINX_H2,
  "port-8443-host": NGINX_H2,
  "port-8443-http-host": NGINX_H2,
  "apache-naive": APACHE_COOKIES_431,
  // LimitRequestFieldSize 32768.
  "apache-fixed": ALL_PASS,
  "apache-upstream-host": APACHE_COOKIES_431,
  "apache-short-timeout": APACHE_COOKIES_431,
  // HTTP/1.1: 24 KB each way passes the 16 KB buffer: 502 from the app's side, 400 from the browser's.
  "haproxy-naive": {
    must: {
      firstFailingResponseBytes: 24_576,
      responseFailStatus: 502,
      firstFailingRequestBytes: 24_576,
      requestFailStatus: 400,
    },
    diagnosis: {
      bug: "B14",
      why: `${HAPROXY_WHY}, and 24 KB of Cookie gets 400.`,
      fix: ["tune.bufsize 32768  # global"],
    },
  },
  // tune.bufsize 32768.
  "haproxy-fixed": ALL_PASS,
  // Over HTTP/2 the 24 KB request is refused by resetting the stream: the fetch fails with no status.
  "haproxy-short-timeout": {
    must: {
      firstFailingResponseBytes: 24_576,
      responseFailStatus: 502,
      firstFailingRequestBytes: 24_576,
      requestFailStatus: null,
    },
    diagnosis: {
      bug: "B14",
      why: `${HAPROXY_WHY}; over HTTP/2, 24 KB of cookies reset the stream (the fetch fails with no status).`,
      fix: ["tune.bufsize 32768  # global"],
    },
  },
  // Caddy (Go's net/http): 1 MB of request headers and 10 MB of the app's response headers by default.
  "caddy-default": ALL_PASS,
  "caddy-encode-gzip": ALL_PASS,
};
