import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["sse-wrong-mime"];

// The app's auth sends an unauthenticated EventSource to an HTML login page: Chromium gives up at once.
const WRONG_MIME: Expectation<O> = {
  must: {
    status: 200,
    contentType: "text/html; charset=utf-8",
    readyState: 2,
    opened: false,
    attempts: 1,
    consoleError: `EventSource's response has a MIME type ("text/html") that is not "text/event-stream". Aborting the connection.`,
  },
};

// The same everywhere: the failure is the app's (B10), and every config must pass it through unchanged.
export const healthy: Healthy<"sse-wrong-mime"> = WRONG_MIME;

// The same on every variant: the proxy only carries the redirect and the login page.
export const rows: Rows<"sse-wrong-mime"> = {
  "http1.0-default": WRONG_MIME,
  "missing-upgrade": WRONG_MIME,
  "buffering-on": WRONG_MIME,
  "buffering-on-http1": WRONG_MIME,
  "short-read-timeout": WRONG_MIME,
  "gzip-event-stream": WRONG_MIME,
  fixed: WRONG_MIME,
  // As fixed here: the location that loses the headers serves sign-in and WebSockets, not this path.
  "header-inheritance": WRONG_MIME,
  "port-8443-host": WRONG_MIME,
  "port-8443-http-host": WRONG_MIME,
  "apache-naive": WRONG_MIME,
  "apache-fixed": WRONG_MIME,
  "apache-upstream-host": WRONG_MIME,
  "apache-short-timeout": WRONG_MIME,
  "haproxy-naive": WRONG_MIME,
  "haproxy-fixed": WRONG_MIME,
  "haproxy-short-timeout": WRONG_MIME,
  "caddy-default": WRONG_MIME,
  "caddy-encode-gzip": WRONG_MIME,
};
