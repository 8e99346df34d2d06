import { BUFFER_FIX, type Expectation, type Healthy, type Rows } from "./expectation";
import type { Observations } from "./observations";
import { SSE_LATE_FIRST_MS } from "./timing";

type O = Observations["sse-open-latency"];

// The first event is sent D = SSE_LATE_FIRST_MS after the request: an open held for it cannot come before D
// (measured 1508 ms and later). An open that nothing holds comes in tens of ms, and on a busy machine later
// (565 and 765 ms seen): before D, it was not held. (Whole ms: the two ranges meet without overlapping.)
const EARLY = { max: SSE_LATE_FIRST_MS - 1 };
const LATE = { min: SSE_LATE_FIRST_MS };

// Nothing holds the headers: `open` comes at once, with or without the app's opening comment.
const OPENS_AT_ONCE: Expectation<O> = { must: {}, bounds: { openMs: EARLY, openMsWithOpeningComment: EARLY } };
const AT_ONCE_OVER_H2: Expectation<O> = { ...OPENS_AT_ONCE, must: { pageProtocol: "h2" } };
const AT_ONCE_OVER_HTTP1: Expectation<O> = { ...OPENS_AT_ONCE, must: { pageProtocol: "http/1.1" } };
// Headers wait for the first body byte: a quiet stream opens with its first event; an opening comment at once.
const HEADERS_WAIT = (pageProtocol: string): Pick<Expectation<O>, "must" | "bounds"> => ({
  must: { pageProtocol },
  bounds: { openMs: LATE, openMsWithOpeningComment: EARLY },
});
// Even the opening comment is held: `open` comes only when the stream ends or a buffer fills.
const HELD_ENTIRELY = (pageProtocol?: string): Pick<Expectation<O>, "must" | "bounds"> => ({
  must: pageProtocol ? { pageProtocol } : {},
  bounds: { openMs: LATE, openMsWithOpeningComment: LATE },
});

const COMMENT_ADVICE = "# from the app: write an opening comment (': open') right after the headers";
// proxy_buffering on holds a response's first bytes, headers included, until the first body byte (B11).
const BUFFERING_HOLDS_HEADERS = {
  bug: "B11",
  why: "proxy_buffering is on (the default): nginx holds the response headers until the first body byte, so an EventSource whose app flushed only its headers opens with the first event, not at once.",
  fix: [...BUFFER_FIX, COMMENT_ADVICE],
} as const;
// nginx 1.22's HTTP/2 sends HEADERS only with the first DATA (curl: 1.508 s over h2, 0.003 s over HTTP/1.1).
const NGINX_122_H2_HOLDS_HEADERS = {
  bug: "B11",
  why: "nginx 1.22's HTTP/2 module sends a response's HEADERS only with its first DATA frame, whatever proxy_buffering says: a stream whose app flushed only its headers opens with its first event. No directive changes it; nginx 1.25 and later send HEADERS at once.",
  fix: [COMMENT_ADVICE, "# or run nginx 1.25.1 or later (1.26 and 1.30 measured: open at once)"],
  fixIn: "version",
} as const;

// Every correct config opens a stream when its app flushes the headers: at once, comment or not.
export const healthy: Healthy<"sse-open-latency"> = OPENS_AT_ONCE;

export const rows: Rows<"sse-open-latency"> = {
  // HTTP/1.0 upstream: nginx holds everything, headers and comment, until its buffer fills or the stream ends (B11).
  "http1.0-default": {
    ...HELD_ENTIRELY(),
    diagnosis: {
      bug: "B11",
      why: "nginx holds even the response headers until its buffer fills or the stream ends, so onopen never fires while the stream is quiet.",
      fix: BUFFER_FIX,
    },
  },
  // 1.29.7 made HTTP/1.1 the upstream default: buffering now holds only until the first body byte (B11).
  "http1.0-default@1.30": { ...HEADERS_WAIT("http/1.1"), diagnosis: BUFFERING_HOLDS_HEADERS },
  // Buffering off, HTTP/1.1 to the browser: nothing holds the headers.
  "missing-upgrade": AT_ONCE_OVER_HTTP1,
  // On 1.22 over h2 the headers wait for the first body byte (HTTP/2 and buffering both hold them).
  "buffering-on": { ...HEADERS_WAIT("h2"), diagnosis: NGINX_122_H2_HOLDS_HEADERS },
  // 1.26 and 1.30 send HEADERS at once: what holds them here is buffering alone (B11).
  "buffering-on@1.26": { ...HEADERS_WAIT("h2"), diagnosis: BUFFERING_HOLDS_HEADERS },
  "buffering-on@1.30": { ...HEADERS_WAIT("h2"), diagnosis: BUFFERING_HOLDS_HEADERS },
  // Over HTTP/1.1 with TLS buffering holds everything, the opening comment too, until the stream ends (B11).
  "buffering-on-http1": {
    ...HELD_ENTIRELY("http/1.1"),
    diagnosis: {
      bug: "B11",
      why: "proxy_buffering is on (the default): over HTTP/1.1 with TLS nginx holds the headers and the first bytes (an opening comment too) without a flush until the stream ends, so onopen never fires while the stream is quiet.",
      fix: BUFFER_FIX,
    },
  },
  // nginx 1.22's HTTP/2 holds HEADERS until the first DATA: late without the comment (B11, the version's doing).
  "short-read-timeout": { ...HEADERS_WAIT("h2"), diagnosis: NGINX_122_H2_HOLDS_HEADERS },
  // gzip holds the opening comment too: `open` comes only when the stream ends (B11).
  "gzip-event-stream": {
    ...HELD_ENTIRELY("h2"),
    diagnosis: {
      bug: "B11",
      why: "The gzip filter holds small writes, the opening comment included: the EventSource opens only when the stream ends.",
      fix: ["gzip_types <your types, without text/event-stream>;"],
    },
  },
  // nginx 1.22's HTTP/2 holds HEADERS until the first DATA, fixed config or not (B11, the version's doing).
  fixed: { ...HEADERS_WAIT("h2"), diagnosis: NGINX_122_H2_HOLDS_HEADERS },
  // As fixed here: the location that loses the headers serves sign-in and WebSockets, not this path.
  "header-inheritance": { ...HEADERS_WAIT("h2"), diagnosis: NGINX_122_H2_HOLDS_HEADERS },
  // 1.26 and 1.30 send HEADERS at once with buffering off.
  "fixed@1.26": AT_ONCE_OVER_H2,
  "fixed@1.30": AT_ONCE_OVER_H2,
  // The same as `fixed` on 1.22: h2 holds HEADERS until the first DATA.
  "port-8443-host": { ...HEADERS_WAIT("h2"), diagnosis: NGINX_122_H2_HOLDS_HEADERS },
  "port-8443-http-host": { ...HEADERS_WAIT("h2"), diagnosis: NGINX_122_H2_HOLDS_HEADERS },
  // Apache, HAProxy and Caddy send headers at once over h2 (39, 42, 244 ms without the comment).
  "apache-naive": AT_ONCE_OVER_H2,
  "apache-fixed": AT_ONCE_OVER_H2,
  "apache-upstream-host": AT_ONCE_OVER_H2,
  "apache-short-timeout": AT_ONCE_OVER_H2,
  "haproxy-naive": AT_ONCE_OVER_HTTP1,
  "haproxy-fixed": AT_ONCE_OVER_H2,
  "haproxy-short-timeout": AT_ONCE_OVER_H2,
  "caddy-default": AT_ONCE_OVER_H2,
  // `encode` holds the headers until the first write; the opening comment opens it at once (1574 vs 17 ms): B11.
  "caddy-encode-gzip": {
    ...HEADERS_WAIT("h2"),
    diagnosis: {
      bug: "B11",
      why: "Caddy's encoder waits for the first write before it sends the headers (it must decide whether to compress): a stream whose app flushed only its headers opens with its first event.",
      fix: [
        "encode {",
        "    gzip",
        "    match {",
        "        header Content-Type text/html*",
        "        header Content-Type application/json*",
        "    }",
        "}",
        COMMENT_ADVICE,
      ],
    },
  },
};
