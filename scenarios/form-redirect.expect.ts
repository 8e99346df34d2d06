import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["form-redirect"];

// Measured in Chromium 156 (nginx 1.22.1/1.26/1.30, Apache 2.4.71, HAProxy 2.6.12, Caddy 2.6.2). The app answers
// the post with `303 Location: <its public origin><prefix>/form/sent?message=hello` (fixtures-app form-routes.ts).
const SENT: Expectation<O> = {
  must: { formStatus: 200, postStatus: 303, locationDiffers: [], finalState: "sent" },
};

/** The app's Location, as the browser got it, pointing at an origin the browser never used (B18, the app's side). */
const leaked = (location: string, differs: string[], ended: string, why: string, fix: string[]): Expectation<O> => ({
  must: { formStatus: 200, postStatus: 303, location, locationDiffers: differs, ended, finalState: null },
  diagnosis: { bug: "B18", why, fix },
});

export const healthy: Healthy<"form-redirect"> = SENT;

export const rows: Rows<"form-redirect"> = {
  // A bare proxy_pass sends Host `app`, and the app writes `http://app/form/sent`: `proxy_redirect default` (the
  // proxy_pass URL → the location) makes it `/form/sent`, and `absolute_redirect` (on) writes that out on the
  // host and port the browser used. Healthy on a plain-http site.
  "http1.0-default": { must: { ...SENT.must, location: "http://app.test/form/sent?message=hello" } },
  "missing-upgrade": SENT,
  "buffering-on": SENT,
  "buffering-on-http1": SENT,
  "short-read-timeout": SENT,
  "gzip-event-stream": SENT,
  fixed: SENT,
  // Two nginx hops, no X-Forwarded-Proto from the edge: the 303 names http://app.test, where nothing listens (B18).
  "chain-nginx-nginx": leaked(
    "http://app.test/form/sent?message=hello",
    ["scheme http instead of https", "port 80 instead of 443"],
    "net::ERR_CONNECTION_REFUSED",
    "The edge (edge.conf) sends no X-Forwarded-Proto and the hop behind it sets none: the app redirects to http://app.test/, and the edge listens on 443 only.",
    ["proxy_set_header X-Forwarded-Proto $scheme;  # at the edge (edge.conf)"],
  ),
  "chain-nginx-nginx-fixed": SENT,
  // Behind the stock edge: the app's 303 names http://app.test:443 (X-Forwarded-Proto $scheme is http, the edge's
  // port passes); the browser speaks plain http to the edge's TLS port and gets nothing back (B21, seen as B18).
  "edge-scheme-overwrite": {
    ...leaked(
      "http://app.test:443/form/sent?message=hello",
      ["scheme http instead of https"],
      "net::ERR_EMPTY_RESPONSE",
      "nginx replaces the edge's X-Forwarded-Proto https with its own $scheme (http): the app redirects to http://app.test:443/, where the edge speaks only TLS.",
      ["proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;"],
    ),
    diagnosis: {
      bug: "B21",
      why: "nginx replaces the edge's X-Forwarded-Proto https with its own $scheme (http): the app redirects to http://app.test:443/, where the edge speaks only TLS.",
      fix: ["proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;"],
    },
  },
  "edge-fixed": SENT,
  // /form/ is served by `location /`, which sets no header of its own and inherits the server's.
  "header-inheritance": SENT,
  "port-8443-host": leaked(
    "https://app.test/form/sent?message=hello",
    ["port 443 instead of 8443"],
    "net::ERR_CONNECTION_REFUSED",
    "`proxy_set_header Host $host;` forwards the host name without its port: behind a public port other than 443 the app's absolute redirect loses the port, and the browser knocks on 443.",
    ["proxy_set_header Host $http_host;  # the Host header as sent, port included"],
  ),
  "port-8443-http-host": SENT,
  "apache-naive": leaked(
    "http://app.test/form/sent?message=hello",
    ["scheme http instead of https", "port 80 instead of 443"],
    "net::ERR_CONNECTION_REFUSED",
    "mod_proxy forwards X-Forwarded-Host but not X-Forwarded-Proto: the app's absolute redirect is http://, which ProxyPassReverse (the backend's URL only) leaves alone.",
    ['RequestHeader set X-Forwarded-Proto "https"'],
  ),
  "apache-fixed": SENT,
  "apache-upstream-host": SENT,
  "apache-short-timeout": SENT,
  "haproxy-naive": leaked(
    "http://app.test/form/sent?message=hello",
    ["scheme http instead of https", "port 80 instead of 443"],
    "net::ERR_CONNECTION_REFUSED",
    "HAProxy forwards no X-Forwarded-Proto unless told to, and rewrites no Location: the app's absolute redirect is http://.",
    ["http-request set-header X-Forwarded-Proto https if { ssl_fc }"],
  ),
  "haproxy-fixed": SENT,
  "haproxy-short-timeout": SENT,
  "caddy-default": SENT,
  "caddy-encode-gzip": SENT,
};
