import { BUFFER_FIX, type Expectation, type Healthy, type Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["sse-timing"];

// Every event before the next is sent (scenarios/sse-verdict.ts).
const STREAMED: Expectation<O> = { must: { verdict: "streamed", eventsReceived: 6 } };

export const healthy: Healthy<"sse-timing"> = STREAMED;
export const healthyXAccel: Healthy<"sse-timing-x-accel"> = STREAMED;

export const rows: Rows<"sse-timing"> = {
  // HTTP/1.0 upstream: a close-delimited body that nginx holds, headers included, until it ends (B11).
  "http1.0-default": {
    must: { verdict: "batched", eventsReceived: 6 },
    diagnosis: {
      bug: "B11",
      why: "nginx buffers the upstream response (proxy_buffering on, the default) and, with an HTTP/1.0 upstream, releases it only when the buffer fills or the stream ends: events arrive all at once.",
      fix: BUFFER_FIX,
    },
  },
  // nginx 1.29.7 made HTTP/1.1 the upstream default: the chunked body is forwarded chunk by chunk.
  "http1.0-default@1.30": STREAMED,
  "missing-upgrade": STREAMED,
  // HTTP/1.1 upstream: each chunk is forwarded as it comes, even with buffering on.
  "buffering-on": STREAMED,
  // Over HTTP/1.1 with TLS, buffered events go out without a flush: the TLS record buffer holds them to the end (B11).
  "buffering-on-http1": {
    must: { verdict: "batched", eventsReceived: 6 },
    diagnosis: {
      bug: "B11",
      why: "proxy_buffering is on (the default): nginx passes the upstream's chunks on without a flush, and over HTTP/1.1 with TLS they wait in the 16 KB TLS record buffer (ssl_buffer_size) until the stream ends: events arrive all at once. Over HTTP/2 they stream.",
      fix: BUFFER_FIX,
    },
  },
  "short-read-timeout": STREAMED,
  // gzip_types text/event-stream: the gzip filter holds small writes until the stream ends (B11, not buffering).
  "gzip-event-stream": {
    must: { verdict: "batched", eventsReceived: 6 },
    diagnosis: {
      bug: "B11",
      why: "gzip_types includes text/event-stream: nginx's gzip filter collects small writes to compress them and releases them when its buffers fill or the stream ends. The cause is gzip, not proxy_buffering.",
      fix: [
        "gzip_types <your types, without text/event-stream>;",
        "# or proxy_buffering off; (non-buffered responses are flushed through gzip), or X-Accel-Buffering: no from the app",
      ],
    },
  },
  fixed: STREAMED,
  // As fixed here: the location that loses the headers serves sign-in and WebSockets, not this path.
  "header-inheritance": STREAMED,
  "port-8443-host": STREAMED,
  "port-8443-http-host": STREAMED,
  // Apache, HAProxy and Caddy all stream; no http-no-delay added no delay (median 2 ms), `encode` flushes events.
  "apache-naive": STREAMED,
  "apache-fixed": STREAMED,
  "apache-upstream-host": STREAMED,
  "apache-short-timeout": STREAMED,
  "haproxy-naive": STREAMED,
  "haproxy-fixed": STREAMED,
  "haproxy-short-timeout": STREAMED,
  "caddy-default": STREAMED,
  "caddy-encode-gzip": STREAMED,
};

// X-Accel-Buffering: no turns nginx's buffering (and gzip's hold) off for this response: every variant streams.
export const xAccelRows: Rows<"sse-timing-x-accel"> = {
  "http1.0-default": STREAMED,
  "missing-upgrade": STREAMED,
  "buffering-on": STREAMED,
  "buffering-on-http1": STREAMED,
  "short-read-timeout": STREAMED,
  "gzip-event-stream": STREAMED,
  fixed: STREAMED,
  // As fixed here: the location that loses the headers serves sign-in and WebSockets, not this path.
  "header-inheritance": STREAMED,
  "port-8443-host": STREAMED,
  "port-8443-http-host": STREAMED,
  "apache-naive": STREAMED,
  "apache-fixed": STREAMED,
  "apache-upstream-host": STREAMED,
  "apache-short-timeout": STREAMED,
  "haproxy-naive": STREAMED,
  "haproxy-fixed": STREAMED,
  "haproxy-short-timeout": STREAMED,
  "caddy-default": STREAMED,
  "caddy-encode-gzip": STREAMED,
};
