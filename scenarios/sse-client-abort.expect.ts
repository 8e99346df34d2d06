import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";
import { ABORT_NOTICE_BOUND_MS } from "./timing";

type O = Observations["sse-client-abort"];

// One failed write is one way a server learns the client is gone (a heart-beat can land between the proxy closing
// the upstream and the app's 'close' event); the failure this scenario is about is writing on after that.
const ABORT_NOTICED: Expectation<O> = {
  must: { writesAfterAbort: 0 },
  bounds: { abortNoticedMs: { max: ABORT_NOTICE_BOUND_MS }, writeErrors: { max: 1 } },
};

export const healthy: Healthy<"sse-client-abort"> = ABORT_NOTICED;

// Every proxy closes its upstream connection when the browser closes the stream, and the app notices at once.
export const rows: Rows<"sse-client-abort"> = {
  "http1.0-default": ABORT_NOTICED,
  "missing-upgrade": ABORT_NOTICED,
  "buffering-on": ABORT_NOTICED,
  "buffering-on-http1": ABORT_NOTICED,
  "short-read-timeout": ABORT_NOTICED,
  "gzip-event-stream": ABORT_NOTICED,
  fixed: ABORT_NOTICED,
  // As fixed here: the location that loses the headers serves sign-in and WebSockets, not this path.
  "header-inheritance": ABORT_NOTICED,
  "port-8443-host": ABORT_NOTICED,
  "port-8443-http-host": ABORT_NOTICED,
  "apache-naive": ABORT_NOTICED,
  "apache-fixed": ABORT_NOTICED,
  "apache-upstream-host": ABORT_NOTICED,
  "apache-short-timeout": ABORT_NOTICED,
  "haproxy-naive": ABORT_NOTICED,
  "haproxy-fixed": ABORT_NOTICED,
  "haproxy-short-timeout": ABORT_NOTICED,
  "caddy-default": ABORT_NOTICED,
  "caddy-encode-gzip": ABORT_NOTICED,
};
