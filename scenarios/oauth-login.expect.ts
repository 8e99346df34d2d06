import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["oauth-login"];

const SIGNED_IN: Expectation<O> = {
  must: { outcome: "signed-in", user: "alice", finalStatus: 200, redirectUriMatchesRegistered: true },
};
// The app builds an http:// redirect_uri (no X-Forwarded-Proto), which the provider rejects.
const HTTP_REDIRECT_URI: Expectation<O> = {
  must: { outcome: "redirect_uri_mismatch", finalStatus: 400, redirectUriMatchesRegistered: false },
};
// The browser's Host but no X-Forwarded-Proto: https://app.test registered, http://app.test built. Both URIs are
// literal, so a user's config is like this row only when it differs the same way (not by a lost prefix, B17).
const HTTP_NOT_HTTPS: Expectation<O> = {
  must: {
    ...HTTP_REDIRECT_URI.must,
    providerReceivedRedirectUri: "http://app.test/oauth/callback",
    registeredRedirectUri: "https://app.test/oauth/callback",
  },
};
// No Host and no X-Forwarded-Proto reach the app: nginx's `Host: app` (the upstream name), http://app (B1).
const UPSTREAM_NAME_REDIRECT_URI: Expectation<O>["must"] = {
  ...HTTP_REDIRECT_URI.must,
  providerReceivedRedirectUri: "http://app/oauth/callback",
};

export const healthy: Healthy<"oauth-login"> = SIGNED_IN;

export const rows: Rows<"oauth-login"> = {
  // nginx sends `Host: app` (the upstream name) and no X-Forwarded-Proto: the app believes it is http://app (B1).
  "http1.0-default": {
    must: UPSTREAM_NAME_REDIRECT_URI,
    diagnosis: {
      bug: "B1",
      why: "A bare proxy_pass sends the upstream name as Host and no X-Forwarded-Proto; the app builds its redirect_uri from them and the provider rejects it.",
      fix: [
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Forwarded-Host $http_host;",
      ],
    },
  },
  // These forward Host with its port and X-Forwarded-Proto.
  "missing-upgrade": SIGNED_IN,
  "buffering-on": SIGNED_IN,
  "buffering-on-http1": SIGNED_IN,
  "short-read-timeout": SIGNED_IN,
  "gzip-event-stream": SIGNED_IN,
  fixed: SIGNED_IN,
  // Two nginx hops: the edge sends no X-Forwarded-Proto, and the inner passes none on: http://app.test (B1).
  "chain-nginx-nginx": {
    must: HTTP_NOT_HTTPS.must,
    diagnosis: {
      bug: "B1",
      why: "The edge (edge.conf) terminates TLS but sends no X-Forwarded-Proto, and the hop behind it sets none: the app believes it is http://app.test and the provider rejects the redirect_uri.",
      fix: ["proxy_set_header X-Forwarded-Proto $scheme;  # at the edge (edge.conf)"],
    },
  },
  "chain-nginx-nginx-fixed": SIGNED_IN,
  // Behind the stock edge (docs/edge.md): `X-Forwarded-Proto $scheme` replaces the edge's https with http; the
  // edge's X-Forwarded-Port 443 passes, so the app writes http://app.test:443 (B21).
  "edge-scheme-overwrite": {
    must: {
      ...HTTP_REDIRECT_URI.must,
      providerReceivedRedirectUri: "http://app.test:443/oauth/callback",
      registeredRedirectUri: "https://app.test/oauth/callback",
    },
    diagnosis: {
      bug: "B21",
      why: "The edge terminates TLS and says X-Forwarded-Proto: https; nginx, reached over http, replaces it with its own $scheme, so the app builds http://app.test:443/oauth/callback and the provider rejects it.",
      fix: ["proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;"],
    },
  },
  // $http_x_forwarded_proto passes the edge's https on.
  "edge-fixed": SIGNED_IN,
  // /login's location sets Upgrade/Connection of its own and so inherits no Host or X-Forwarded-*: http://app (B16).
  "header-inheritance": {
    must: UPSTREAM_NAME_REDIRECT_URI,
    diagnosis: {
      bug: "B1",
      why: "B16: the location that serves /login sets proxy_set_header of its own (Upgrade, Connection), so nginx inherits none of the server's: no Host, no X-Forwarded-Proto reach the app, which builds http://app/oauth/callback.",
      fix: [
        "# in that location, beside its own proxy_set_header lines:",
        "proxy_set_header Host $http_host;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_set_header X-Forwarded-Host $http_host;",
      ],
    },
  },
  // `$host` drops the public port 8443: the app builds https://app.test/oauth/callback (B1).
  "port-8443-host": {
    must: {
      outcome: "redirect_uri_mismatch",
      finalStatus: 400,
      providerReceivedRedirectUri: "https://app.test/oauth/callback",
      redirectUriMatchesRegistered: false,
    },
    diagnosis: {
      bug: "B1",
      why: "`proxy_set_header Host $host;` forwards the host name without its port: behind a public port other than 443 the app builds its redirect_uri without the port, and the provider rejects it.",
      fix: ["proxy_set_header Host $http_host;  # the Host header as sent, port included"],
    },
  },
  // `$http_host` keeps the port: the app builds https://app.test:8443/oauth/callback, as registered.
  "port-8443-http-host": SIGNED_IN,
  // mod_proxy adds X-Forwarded-Host but no X-Forwarded-Proto: an http:// redirect_uri (B1).
  "apache-naive": {
    ...HTTP_NOT_HTTPS,
    diagnosis: {
      bug: "B1",
      why: "mod_proxy forwards X-Forwarded-Host but not X-Forwarded-Proto: the app builds an http:// redirect_uri and the provider rejects it.",
      fix: ["ProxyPreserveHost On", 'RequestHeader set X-Forwarded-Proto "https"'],
    },
  },
  "apache-fixed": SIGNED_IN,
  // Host is the upstream's, but mod_proxy's X-Forwarded-Host has the browser's: the app builds on it.
  "apache-upstream-host": SIGNED_IN,
  "apache-short-timeout": SIGNED_IN,
  // HAProxy passes the browser's Host but adds no X-Forwarded-Proto unless told: an http:// redirect_uri (B1).
  "haproxy-naive": {
    ...HTTP_NOT_HTTPS,
    diagnosis: {
      bug: "B1",
      why: "HAProxy forwards no X-Forwarded-Proto unless told to: the app builds an http:// redirect_uri and the provider rejects it.",
      fix: ["option forwardfor", "http-request set-header X-Forwarded-Proto https if { ssl_fc }"],
    },
  },
  "haproxy-fixed": SIGNED_IN,
  "haproxy-short-timeout": SIGNED_IN,
  // Caddy forwards Host as sent and X-Forwarded-Proto by default.
  "caddy-default": SIGNED_IN,
  "caddy-encode-gzip": SIGNED_IN,
};
