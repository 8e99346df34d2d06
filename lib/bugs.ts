/** The field failures of docs/field-reports.md, by id. The registry and the expectations table refer to them. */
export const BUGS = {
  B1: "OAuth redirect_uri_mismatch: the app builds its redirect_uri from the upstream Host",
  B2: "nginx built without ngx_http_ssl_module",
  B3: "crypto.randomUUID undefined: plain http on a real hostname is not a secure context",
  B4: "SSE: HTTP/1.0 upstream (Connection: close) cannot hold the stream",
  B5: "SSE: 6 connections per origin over HTTP/1.1",
  B6: "WebSocket handshake not 101 (no Upgrade/Connection forwarded); SockJS falls back and polls",
  B7: "SockJS /info 404: URL built relative to the page, not the API origin",
  B8: "Mixed content: https page calls an http API",
  B9: "CORS error on SockJS /info redirected to a login page",
  B10: "EventSource MIME type error: the SSE URL answered something else",
  B11: "SSE batched: nginx buffers the upstream response",
  B12: "SSE idle timeout: the stream is cut after a quiet period; events lost on reconnect",
  B13: "Secure session cookie never set behind TLS termination: signed in, then asked to sign in again",
  B14: "Big headers: an OIDC session's cookies pass the proxy's header buffer: 502 (response) or 400/431 (request)",
  B15: "WebSocket refused (403) by the app's origin check: the proxy rewrote Host, so Origin and Host differ",
  B16: "nginx: a level that sets any proxy_set_header inherits none from the enclosing one",
  B17: "Sub-path: the proxy strips the app's prefix and nothing tells the app, so its own URLs lose the prefix",
  B18: "Redirects that leak the internal host, port or scheme: the browser is sent where it cannot go",
  B19: "Uploads refused (413) by the proxy's body limit, or held whole by the proxy before the app sees a byte",
  B20: "Two app replicas: one session's requests, or one chat's users, land on replicas that do not share its state",
  B21: "Behind a TLS edge, the inner proxy overwrites the edge's X-Forwarded-Proto https with its own scheme (http)",
  B22: "The app sees a proxy's address (the edge's) as the client's: X-Real-IP or X-Forwarded-For not carried through",
  B23: "Two hops, two idle timeouts: the shorter one (a load balancer's 60 s) cuts a quiet stream or WebSocket",
} as const;

export type BugId = keyof typeof BUGS;
