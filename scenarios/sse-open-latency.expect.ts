import { BUFFER_FIX, type Expectation, type Healthy, type Rows } from "./expectation";
import type { Observations } from "./observations";
import { SSE_LATE_FIRST_MS } from "./timing";

type O = Observations["sse-open-latency"];

// The app flushed its headers at once: with nothing holding them, `open` comes right away, comment or not.
const OPENS_AT_ONCE: Expectation<O> = {
  must: {},
  bounds: { openMs: { max: SSE_LATE_FIRST_MS / 4 }, openMsWithOpeningComment: { max: SSE_LATE_FIRST_MS / 4 } },
};
const AT_ONCE_OVER_H2: Expectation<O> = { ...OPENS_AT_ONCE, must: { pageProtocol: "h2" } };
const AT_ONCE_OVER_HTTP1: Expectation<O> = { ...OPENS_AT_ONCE, must: { pageProtocol: "http/1.1" } };
// Headers wait for the first body byte: a quiet stream opens with its first event; an opening comment at once.
// On nginx 1.22's HTTP/2 no config line changes this; the app's opening comment (our app's default) does.
const OPENS_WITH_FIRST_BYTE_ON_H2: Expectation<O> = {
  must: { pageProtocol: "h2" },
  bounds: { openMs: { min: SSE_LATE_FIRST_MS * 0.8 }, openMsWithOpeningComment: { max: SSE_LATE_FIRST_MS / 4 } },
};

// Only what any correct config shows: nginx 1.22 over h2 opens a headers-only stream late even when fixed.
export const healthy: Healthy<"sse-open-latency"> = {
  must: {},
  bounds: { openMsWithOpeningComment: { max: SSE_LATE_FIRST_MS / 4 } },
};

export const rows: Rows<"sse-open-latency"> = {
  // nginx holds even the headers until its buffer fills or the stream ends: no early open at all (B11).
  "http1.0-default": {
    must: {},
    bounds: { openMs: { min: SSE_LATE_FIRST_MS }, openMsWithOpeningComment: { min: SSE_LATE_FIRST_MS } },
    diagnosis: {
      bug: "B11",
      why: "nginx holds even the response headers until its buffer fills or the stream ends, so onopen never fires while the stream is quiet.",
      fix: BUFFER_FIX,
    },
  },
  // 1.30's HTTP/1.1 upstream sends headers with the first body byte: the opening comment opens it (1767 vs 22 ms).
  "http1.0-default@1.30": {
    must: { pageProtocol: "http/1.1" },
    bounds: { openMs: { min: SSE_LATE_FIRST_MS * 0.8 }, openMsWithOpeningComment: { max: SSE_LATE_FIRST_MS / 4 } },
  },
  "missing-upgrade": AT_ONCE_OVER_HTTP1,
  // The late open over h2 is nginx 1.22's HTTP/2 holding HEADERS, as on `fixed`, not buffering.
  "buffering-on": OPENS_WITH_FIRST_BYTE_ON_H2,
  "short-read-timeout": OPENS_WITH_FIRST_BYTE_ON_H2,
  // gzip holds the opening comment too: open comes only when the stream ends (B11).
  "gzip-event-stream": {
    must: { pageProtocol: "h2" },
    bounds: { openMs: { min: SSE_LATE_FIRST_MS }, openMsWithOpeningComment: { min: SSE_LATE_FIRST_MS } },
    diagnosis: {
      bug: "B11",
      why: "The gzip filter holds small writes, the opening comment included: the EventSource opens only when the stream ends.",
      fix: ["gzip_types <your types, without text/event-stream>;"],
    },
  },
  // nginx 1.22's HTTP/2 sends HEADERS only with the first DATA (curl: 1.508 s over h2, 0.003 s over HTTP/1.1).
  fixed: OPENS_WITH_FIRST_BYTE_ON_H2,
  // nginx 1.26 and 1.30's HTTP/2 send HEADERS at once with buffering off (open at 14 and 57 ms).
  "fixed@1.26": AT_ONCE_OVER_H2,
  "fixed@1.30": AT_ONCE_OVER_H2,
  // Apache, HAProxy and Caddy send headers at once over h2 (39, 42, 244 ms without the comment).
  "apache-naive": AT_ONCE_OVER_H2,
  "apache-fixed": AT_ONCE_OVER_H2,
  "apache-short-timeout": AT_ONCE_OVER_H2,
  "haproxy-naive": AT_ONCE_OVER_HTTP1,
  "haproxy-fixed": AT_ONCE_OVER_H2,
  "haproxy-short-timeout": AT_ONCE_OVER_H2,
  "caddy-default": AT_ONCE_OVER_H2,
  // `encode` holds the headers until the first write; the opening comment opens it at once (1574 vs 17 ms).
  "caddy-encode-gzip": OPENS_WITH_FIRST_BYTE_ON_H2,
};
