import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["sub-path"];

// Measured in Chromium 156 (nginx 1.22.1, Apache 2.4.71, HAProxy 2.6.12, Caddy 2.6.2). The app publishes its URLs
// under the prefix it knows (the path it was reached under, else X-Forwarded-Prefix).
const UNDER_PREFIX: Expectation<O> = {
  must: {
    chatStatus: 200,
    leftPrefix: [],
    failedRequests: [],
    transport: "websocket",
    pageErrors: [],
    sentRedirectUri: "https://app.test/app/oauth/callback",
    sentMatchesRegistered: true,
    redirectUriKeptPrefix: true,
  },
};

/**
 * What a stripped prefix that nothing names shows: the chat's scripts and the redirect_uri at the root. The
 * proxy answers the scripts' root paths its own way (`scripts`: nginx and Apache 404 from their document roots,
 * HAProxy 503 with no backend, Caddy an empty 200), and the page never has StompJs.
 */
const lostPrefix = (scripts: readonly string[], why: string, fix: readonly string[]): Expectation<O> => ({
  must: {
    chatStatus: 200,
    leftPrefix: ["GET /static/sockjs.min.js", "GET /static/stomp.umd.min.js"],
    failedRequests: [...scripts],
    transport: null,
    pageErrors: ["StompJs is not defined"],
    sentRedirectUri: "https://app.test/oauth/callback",
    sentMatchesRegistered: false,
    redirectUriKeptPrefix: false,
  },
  diagnosis: { bug: "B17", why, fix },
});

// Only what the prefix decides: the transport and the rest of the redirect_uri are sockjs-chat's and oauth-login's.
export const healthy: Healthy<"sub-path"> = {
  must: { leftPrefix: [], failedRequests: [], pageErrors: [], redirectUriKeptPrefix: true },
};

export const rows: Rows<"sub-path"> = {
  // `proxy_pass http://app/;` in `location /app/` replaces /app/ with /: the app never sees its prefix.
  "sub-path-stripped": lostPrefix(
    ["GET /static/sockjs.min.js 404", "GET /static/stomp.umd.min.js 404"],
    "nginx strips /app before the app sees the request, and no X-Forwarded-Prefix says so: the app builds its URLs at the root, outside the only location that reaches it.",
    [
      "proxy_set_header X-Forwarded-Prefix /app;",
      "# or keep the prefix (proxy_pass http://app;) and give the app its base path",
    ],
  ),
  "sub-path-prefix-header": UNDER_PREFIX,
  "sub-path-kept": UNDER_PREFIX,
  "apache-sub-path": lostPrefix(
    ["GET /static/sockjs.min.js 404", "GET /static/stomp.umd.min.js 404"],
    "ProxyPass /app/ http://app/ strips /app before the app sees the request, and no X-Forwarded-Prefix says so: the app builds its URLs at the root.",
    ['RequestHeader set X-Forwarded-Prefix "/app"'],
  ),
  "apache-sub-path-prefix-header": UNDER_PREFIX,
  "haproxy-sub-path": lostPrefix(
    ["GET /static/sockjs.min.js 503", "GET /static/stomp.umd.min.js 503"],
    "replace-path strips /app before the app sees the request, and no X-Forwarded-Prefix says so: the app builds its URLs at the root, where no backend answers.",
    ["http-request set-header X-Forwarded-Prefix /app"],
  ),
  "haproxy-sub-path-prefix-header": UNDER_PREFIX,
  "caddy-handle-path": lostPrefix(
    [],
    "handle_path strips /app before the app sees the request, and Caddy sends no X-Forwarded-Prefix: the app builds its URLs at the root, which Caddy answers with an empty 200.",
    ["handle /app/* {  # handle keeps the prefix; or: reverse_proxy … { header_up X-Forwarded-Prefix /app }"],
  ),
  "caddy-handle": UNDER_PREFIX,
};
