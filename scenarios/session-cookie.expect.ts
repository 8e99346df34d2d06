import type { Expectation, Healthy, Rows } from "./expectation";
import type { Observations } from "./observations";

type O = Observations["session-cookie"];

const SIGNED_IN: Expectation<O> = {
  must: {
    loginStatus: 302,
    setCookieSeen: true,
    cookieSecure: true,
    cookieInBrowser: true,
    signInPagesShown: 1,
    finalState: "signed-in",
  },
};
// The app does not see https, so express-session sets no Secure cookie: the next page asks again (B13).
const ASKED_AGAIN: Expectation<O>["must"] = {
  loginStatus: 302,
  setCookieSeen: false,
  cookieInBrowser: false,
  signInPagesShown: 2,
  finalState: "sign-in",
};

export const healthy: Healthy<"session-cookie"> = SIGNED_IN;

export const rows: Rows<"session-cookie"> = {
  // Plain http: the app is right not to set a Secure cookie; the fix is TLS (then X-Forwarded-Proto) (B13).
  "http1.0-default": {
    must: ASKED_AGAIN,
    diagnosis: {
      bug: "B13",
      why: "The site is plain http: the app marks its session cookie Secure and never sets it over http, so every next page asks to sign in again.",
      fix: ["listen 443 ssl http2;", "proxy_set_header X-Forwarded-Proto $scheme;"],
    },
  },
  // These forward X-Forwarded-Proto $scheme (https): the Secure cookie is set.
  "missing-upgrade": SIGNED_IN,
  "buffering-on": SIGNED_IN,
  "buffering-on-http1": SIGNED_IN,
  "short-read-timeout": SIGNED_IN,
  "gzip-event-stream": SIGNED_IN,
  fixed: SIGNED_IN,
  // Two nginx hops, no X-Forwarded-Proto from the edge: no Secure cookie (B13).
  "chain-nginx-nginx": {
    must: ASKED_AGAIN,
    diagnosis: {
      bug: "B13",
      why: "The edge (edge.conf) sends no X-Forwarded-Proto and the hop behind it sets none: the app believes the sign-in came over http and sets no Secure session cookie.",
      fix: ["proxy_set_header X-Forwarded-Proto $scheme;  # at the edge (edge.conf)"],
    },
  },
  "chain-nginx-nginx-fixed": SIGNED_IN,
  // Behind the stock edge: X-Forwarded-Proto $scheme tells the app http, so no Secure cookie is set (B21, seen as B13).
  "edge-scheme-overwrite": {
    must: ASKED_AGAIN,
    diagnosis: {
      bug: "B21",
      why: "nginx replaces the edge's X-Forwarded-Proto https with its own $scheme (http): the app believes the sign-in came over http and sets no Secure session cookie, so the next page asks again.",
      fix: ["proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;"],
    },
  },
  "edge-fixed": SIGNED_IN,
  // /session/login is served by `location /`, which inherits the server's headers.
  "header-inheritance": SIGNED_IN,
  "port-8443-host": SIGNED_IN,
  "port-8443-http-host": SIGNED_IN,
  // mod_proxy adds no X-Forwarded-Proto: the app sees http and sets no cookie (B13).
  "apache-naive": {
    must: ASKED_AGAIN,
    diagnosis: {
      bug: "B13",
      why: "mod_proxy forwards no X-Forwarded-Proto: the app believes the sign-in came over http and sets no Secure session cookie.",
      fix: ['RequestHeader set X-Forwarded-Proto "https"'],
    },
  },
  "apache-fixed": SIGNED_IN,
  "apache-upstream-host": SIGNED_IN,
  "apache-short-timeout": SIGNED_IN,
  // HAProxy adds no X-Forwarded-Proto unless told: no cookie (B13).
  "haproxy-naive": {
    must: ASKED_AGAIN,
    diagnosis: {
      bug: "B13",
      why: "HAProxy forwards no X-Forwarded-Proto unless told to: the app believes the sign-in came over http and sets no Secure session cookie.",
      fix: ["http-request set-header X-Forwarded-Proto https if { ssl_fc }"],
    },
  },
  "haproxy-fixed": SIGNED_IN,
  "haproxy-short-timeout": SIGNED_IN,
  // Caddy sets X-Forwarded-Proto itself.
  "caddy-default": SIGNED_IN,
  "caddy-encode-gzip": SIGNED_IN,
};
