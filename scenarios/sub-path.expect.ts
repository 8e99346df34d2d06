import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["sub-path"];

type Bare = Pick<O, "bareStatus" | "bareLocation" | "bareEnded" | "redirectLeftOrigin">;
// The prefix without its slash, as each proxy answers it on 443: nginx's own slash redirect (a location ending in
// `/` that proxies), Apache's document root, HAProxy's no backend, Caddy's empty 200 of a site with no handler.
const NGINX_SLASH: Bare = {
  bareStatus: 301,
  bareLocation: "https://app.test/app/",
  bareEnded: "https://app.test/app/",
  redirectLeftOrigin: false,
};
const answered = (status: number): Bare => ({
  bareStatus: status,
  bareLocation: null,
  bareEnded: "https://app.test/app",
  redirectLeftOrigin: false,
});

// Measured in Chromium 156 (nginx 1.22.1, Apache 2.4.71, HAProxy 2.6.12, Caddy 2.6.2). The app publishes its URLs
// under the prefix it knows (the path it was reached under, else X-Forwarded-Prefix).
const UNDER_PREFIX = (bare: Bare): Expectation<O> => ({
  must: {
    ...bare,
    chatStatus: 200,
    leftPrefix: [],
    failedRequests: [],
    transport: "websocket",
    pageErrors: [],
    streamPath: "/app/sse",
    streamEvents: 2,
    sentRedirectUri: "https://app.test/app/oauth/callback",
    sentMatchesRegistered: true,
    redirectUriKeptPrefix: true,
  },
});

/**
 * What a stripped prefix that nothing names shows: the chat's scripts, the app's event stream and the
 * redirect_uri at the root. The proxy answers those root paths its own way (`failed`: nginx and Apache 404 from
 * their document roots, HAProxy 503 with no backend, Caddy an empty 200), the page never has StompJs, and the
 * stream delivers nothing.
 */
const lostPrefix = (bare: Bare, failed: readonly string[], why: string, fix: readonly string[]): Expectation<O> => ({
  must: {
    ...bare,
    chatStatus: 200,
    leftPrefix: ["GET /sse", "GET /static/sockjs.min.js", "GET /static/stomp.umd.min.js"],
    failedRequests: [...failed],
    transport: null,
    pageErrors: ["StompJs is not defined"],
    streamPath: "/sse",
    streamEvents: 0,
    sentRedirectUri: "https://app.test/oauth/callback",
    sentMatchesRegistered: false,
    redirectUriKeptPrefix: false,
  },
  diagnosis: { bug: "B17", why, fix },
});

// Only what the prefix decides: the transport and the rest of the redirect_uri are sockjs-chat's and oauth-login's.
export const healthy: Healthy<"sub-path"> = {
  must: {
    leftPrefix: [],
    failedRequests: [],
    pageErrors: [],
    streamEvents: 2,
    redirectUriKeptPrefix: true,
    redirectLeftOrigin: false,
  },
};

export const rows: Rows<"sub-path"> = {
  // `proxy_pass http://app/;` in `location /app/` replaces /app/ with /: the app never sees its prefix.
  "sub-path-stripped": lostPrefix(
    NGINX_SLASH,
    ["GET /sse 404", "GET /static/sockjs.min.js 404", "GET /static/stomp.umd.min.js 404"],
    "nginx strips /app before the app sees the request, and no X-Forwarded-Prefix says so: the app builds its URLs at the root, outside the only location that reaches it.",
    [
      "proxy_set_header X-Forwarded-Prefix /app;",
      "# or keep the prefix (proxy_pass http://app;) and give the app its base path",
    ],
  ),
  "sub-path-prefix-header": UNDER_PREFIX(NGINX_SLASH),
  "sub-path-kept": UNDER_PREFIX(NGINX_SLASH),
  // nginx on 8443, published as 443: its own slash redirect carries the port it listens on (B18).
  "sub-path-port-mapped": {
    must: {
      ...UNDER_PREFIX(NGINX_SLASH).must,
      bareLocation: "https://app.test:8443/app/",
      bareEnded: "net::ERR_CONNECTION_REFUSED",
      redirectLeftOrigin: true,
    },
    diagnosis: {
      bug: "B18",
      why: "nginx answers /app with its own slash redirect, absolute and with the port it listens on (8443): the browser is sent to a port that is published nowhere.",
      fix: ["absolute_redirect off;", "# or: port_in_redirect off;"],
    },
  },
  "sub-path-port-mapped-relative": { must: { ...UNDER_PREFIX(NGINX_SLASH).must, bareLocation: "/app/" } },
  "apache-sub-path": lostPrefix(
    answered(404),
    ["GET /sse 404", "GET /static/sockjs.min.js 404", "GET /static/stomp.umd.min.js 404"],
    "ProxyPass /app/ http://app/ strips /app before the app sees the request, and no X-Forwarded-Prefix says so: the app builds its URLs at the root.",
    ['RequestHeader set X-Forwarded-Prefix "/app"'],
  ),
  "apache-sub-path-prefix-header": UNDER_PREFIX(answered(404)),
  "haproxy-sub-path": lostPrefix(
    answered(503),
    ["GET /sse 503", "GET /static/sockjs.min.js 503", "GET /static/stomp.umd.min.js 503"],
    "replace-path strips /app before the app sees the request, and no X-Forwarded-Prefix says so: the app builds its URLs at the root, where no backend answers.",
    ["http-request set-header X-Forwarded-Prefix /app"],
  ),
  "haproxy-sub-path-prefix-header": UNDER_PREFIX(answered(503)),
  "caddy-handle-path": lostPrefix(
    answered(200),
    [],
    "handle_path strips /app before the app sees the request, and Caddy sends no X-Forwarded-Prefix: the app builds its URLs at the root, which Caddy answers with an empty 200.",
    ["handle /app/* {  # handle keeps the prefix; or: reverse_proxy … { header_up X-Forwarded-Prefix /app }"],
  ),
  "caddy-handle": UNDER_PREFIX(answered(200)),
};
