import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["sse-idle-resume"];

const NEVER_CUT: Expectation<O> = {
  must: { quietReconnects: 0, quietExactlyOnce: true, heartbeatReconnects: 0, heartbeatExactlyOnce: true },
};
// Cut once in the quiet gap; the EventSource comes back with Last-Event-ID: 3 and the app resumes at 4.
const CUT_WHEN_QUIET: Expectation<O>["must"] = {
  quietReconnects: 1,
  quietResumedFrom: ["3"],
  quietExactlyOnce: true,
  heartbeatReconnects: 0,
  heartbeatExactlyOnce: true,
};
const HEARTBEAT_ADVICE = "# and from the app: a ': heartbeat' comment more often than the timeout";

export const healthy: Healthy<"sse-idle-resume"> = NEVER_CUT;

export const rows: Rows<"sse-idle-resume"> = {
  // These keep a quiet stream open far longer than the gap (nginx's default proxy_read_timeout is 60 s).
  "http1.0-default": NEVER_CUT,
  "missing-upgrade": NEVER_CUT,
  "buffering-on": NEVER_CUT,
  "buffering-on-http1": NEVER_CUT,
  // proxy_read_timeout 2s: the quiet stream is cut and resumed (B12).
  "short-read-timeout": {
    must: CUT_WHEN_QUIET,
    diagnosis: {
      bug: "B12",
      why: "nginx closes a proxied stream after proxy_read_timeout without upstream data: a quiet SSE stream is cut. The browser reconnects; only resuming from Last-Event-ID keeps every event, and heartbeats avoid the cut.",
      fix: [
        "proxy_read_timeout 1h;",
        "# and from the app: a ': heartbeat' comment more often than the timeout; resume from Last-Event-ID",
      ],
    },
  },
  "gzip-event-stream": NEVER_CUT,
  fixed: NEVER_CUT,
  // As fixed here: the location that loses the headers serves sign-in and WebSockets, not this path.
  "header-inheritance": NEVER_CUT,
  "port-8443-host": NEVER_CUT,
  "port-8443-http-host": NEVER_CUT,
  "apache-naive": NEVER_CUT,
  "apache-fixed": NEVER_CUT,
  "apache-upstream-host": NEVER_CUT,
  // ProxyTimeout 2: the quiet stream is cut and resumed (B12).
  "apache-short-timeout": {
    must: CUT_WHEN_QUIET,
    diagnosis: {
      bug: "B12",
      why: "ProxyTimeout bounds the wait for upstream data: a quiet SSE stream is cut. The browser reconnects; only resuming from Last-Event-ID keeps every event, and heartbeats avoid the cut.",
      fix: ["ProxyTimeout 3600", HEARTBEAT_ADVICE],
    },
  },
  "haproxy-naive": NEVER_CUT,
  "haproxy-fixed": NEVER_CUT,
  // timeout client/server 2s: the quiet stream is cut and resumed (B12).
  "haproxy-short-timeout": {
    must: CUT_WHEN_QUIET,
    diagnosis: {
      bug: "B12",
      why: "timeout server (and client) bound a quiet response: the SSE stream is cut. The browser reconnects; only resuming from Last-Event-ID keeps every event, and heartbeats avoid the cut.",
      fix: ["timeout server 1h", "timeout client 1h", HEARTBEAT_ADVICE],
    },
  },
  // reverse_proxy has no read timeout unless a transport sets one.
  "caddy-default": NEVER_CUT,
  "caddy-encode-gzip": NEVER_CUT,
};
