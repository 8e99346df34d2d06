import { VARIANT_NAMES, type SplitTableVariantName, type TableVariantName, type VariantEntry, type VariantName } from "../nginx-variants";
import {
  ABORT_NOTICED,
  ALL_OVER_H2,
  BUFFER_FIX,
  CHAT_FALLS_BACK_TO_STREAMING,
  CHAT_ON_WEBSOCKET,
  ECHO_WORKS,
  HEALTHY,
  NEVER_CUT,
  OPENS_AT_ONCE,
  OPENS_WITH_FIRST_BYTE_ON_H2,
  SECURE_UUID,
  SIGNED_IN,
  SIX_PER_ORIGIN,
  STREAMED,
  WRONG_MIME,
  WS_FIX,
  type Expectation,
} from "./expectation-rows";
import type { BugId } from "../lib/bugs";
import type { NginxVersion } from "../nginx-variants/nginx-versions";
import { OTHER_PROXY_ROWS } from "./expectations-other-proxies";
import type { Observations, ScenarioName, SplitScenario } from "./observations";
import { DELIVERY_BOUND_MS, SSE_LATE_FIRST_MS } from "./timing";

export { HEALTHY, type Bound, type Expectation } from "./expectation-rows";

/**
 * Every variant has a row per scenario. A `<variant>@<version>` row overrides it on that nginx version only,
 * with a comment saying what changed in nginx and how it was measured.
 */
type Rows<S extends ScenarioName, V extends string> = Record<V, Expectation<Observations[S]>> & Partial<Record<`${VariantName}@${NginxVersion}`, Expectation<Observations[S]>>>;
/** Each topology has its own scenarios: single-origin variants have rows in those, split-origin ones in the split-* ones. */
type Table = { [S in Exclude<ScenarioName, SplitScenario>]: Rows<S, TableVariantName> } & { [S in SplitScenario]: Rows<S, SplitTableVariantName> };

/**
 * The one table: scenario × variant → what must be observed. Measured, not assumed: each row was
 * confirmed against the real stack (see the README's matrix for the figures).
 */
const MIXED_CONTENT = (run: string) =>
  `Mixed Content: The page at 'https://www.app.test:<port>/?run=${run}' was loaded over HTTPS, but requested an insecure resource 'http://api.app.test:<port>/api/token'. This request has been blocked; the content must be served over HTTPS.`;
const SOCKJS_INSECURE = "sockjs: Error: SecurityError: An insecure SockJS connection may not be initiated from a page loaded over HTTPS";
const B8_DIAGNOSIS = {
  bug: "B8",
  why: "The front end calls the API over http:// from an https page: the browser blocks it as mixed content.",
  fix: ["const API_ORIGIN = 'https://api.example.com';  // https, or from location.protocol", "add_header Content-Security-Policy upgrade-insecure-requests;  # rescues fetch and EventSource, not SockJS"],
} as const;

export const EXPECTATIONS: Table = {
  "random-uuid": {
    ...OTHER_PROXY_ROWS["random-uuid"],
    "http1.0-default": {
      must: { status: 200, protocol: "http:", nextHopProtocol: "http/1.1", isSecureContext: false, randomUUIDType: "undefined", fallbackIsV4: true, appIdIsV4: true },
      diagnosis: {
        bug: "B3",
        why: "crypto.randomUUID exists only in secure contexts; a plain-http page on a real hostname (not localhost) is not one. The getRandomValues fallback works everywhere.",
        fix: ["listen 443 ssl;", "ssl_certificate     /etc/proxylab/tls/server.crt;", "ssl_certificate_key /etc/proxylab/tls/server.key;"],
      },
    },
    "missing-upgrade": { must: { ...SECURE_UUID, nextHopProtocol: "http/1.1" } },
    "buffering-on": { must: { ...SECURE_UUID, nextHopProtocol: "h2" } },
    "short-read-timeout": { must: { ...SECURE_UUID, nextHopProtocol: "h2" } },
    "gzip-event-stream": { must: { ...SECURE_UUID, nextHopProtocol: "h2" } },
    fixed: { must: { ...SECURE_UUID, nextHopProtocol: "h2" } },
  },
  "oauth-login": {
    ...OTHER_PROXY_ROWS["oauth-login"],
    "http1.0-default": {
      must: {
        outcome: "redirect_uri_mismatch",
        finalStatus: 400,
        // nginx sends `Host: app` (the upstream name) and no X-Forwarded-Proto, so the app believes it is http://app.
        providerReceivedRedirectUri: "http://app/oauth/callback",
        redirectUriMatchesRegistered: false,
      },
      diagnosis: {
        bug: "B1",
        why: "A bare proxy_pass sends the upstream name as Host and no X-Forwarded-Proto; the app builds its redirect_uri from them and the provider rejects it.",
        fix: ["proxy_set_header Host $http_host;", "proxy_set_header X-Forwarded-Proto $scheme;", "proxy_set_header X-Forwarded-Host $http_host;"],
      },
    },
    "missing-upgrade": { must: SIGNED_IN },
    "buffering-on": { must: SIGNED_IN },
    "short-read-timeout": { must: SIGNED_IN },
    "gzip-event-stream": { must: SIGNED_IN },
    fixed: { must: SIGNED_IN },
  },
  "sockjs-chat": {
    ...OTHER_PROXY_ROWS["sockjs-chat"],
    "http1.0-default": {
      // The handshake reaches sockjs as a plain GET: 400 'Can "Upgrade" only to "WebSocket"'. Then every
      // streaming transport stalls in nginx's 4 KB buffer (xhr-streaming's prelude is 2 KB) until SockJS times it
      // out: xhr-streaming, eventsource, htmlfile, then xhr-polling, ~2.2 s and 19 requests measured.
      // Idle, xhr-polling is long-polling: a poll is held until data or a heart-beat (STOMP 10 s, SockJS 25 s),
      // so a quiet 3 s window makes 0 new requests (measured, browser and server agree); at most one poll
      // and one heart-beat send can fall in it. The request storm of seed 001 is the connect phase here.
      // Which polling transport: xhr-polling measured, and jsonp-polling once in 120 runs, for the second user,
      // whose /info took 194 ms (rto 776 ms): the family is the proxy's doing, the rung SockJS's timing.
      must: { transportFamily: "polling", peerTransportFamily: "polling", websocketHandshakeStatus: 400, websocketHandshake101: false, delivered: true },
      bounds: { connectRequests: { min: 10 }, idleRequests: { max: 2 }, maxDeliveryMs: { max: DELIVERY_BOUND_MS } },
      diagnosis: {
        bug: "B6",
        why: "No Upgrade/Connection headers reach the app (and HTTP/1.0 cannot carry them): the WebSocket handshake is a plain GET, SockJS falls back; buffering on then stalls xhr-streaming too, so it ends on xhr-polling.",
        fix: [...WS_FIX, "proxy_buffering off;"],
      },
    },
    "missing-upgrade": {
      // xhr-streaming holds: buffering is off.
      ...CHAT_FALLS_BACK_TO_STREAMING,
      diagnosis: {
        bug: "B6",
        why: "No Upgrade/Connection headers are forwarded: the WebSocket handshake reaches the app as a plain GET and never gets 101; SockJS falls back to xhr-streaming.",
        fix: WS_FIX,
      },
    },
    // nginx 1.29.7 made HTTP/1.1 (with keepalive) the default upstream protocol. Still no Upgrade/Connection
    // headers, so the handshake is a plain GET (400); but the chunked stream is now forwarded as it comes, so
    // SockJS stops at xhr-streaming, as on `missing-upgrade`: 7 requests measured.
    "http1.0-default@1.30": {
      ...CHAT_FALLS_BACK_TO_STREAMING,
      diagnosis: {
        bug: "B6",
        why: "A bare proxy_pass forwards no Upgrade/Connection headers (since nginx 1.29.7 it speaks HTTP/1.1 upstream, but that does not forward them): the handshake reaches the app as a plain GET; SockJS falls back to xhr-streaming.",
        fix: WS_FIX,
      },
    },
    "buffering-on": CHAT_ON_WEBSOCKET,
    "short-read-timeout": {
      // The WebSocket opens (101), then nginx closes it after 2 s without upstream data: STOMP heart-beats
      // come every 10 s, SockJS's every 25 s. The chat is dead after the idle window: sends fail.
      must: { transport: "websocket", websocketHandshake101: true, delivered: false, closeCodes: [1006] },
      diagnosis: {
        bug: "B12",
        why: "proxy_read_timeout also bounds an idle WebSocket: nginx closes it when the upstream is silent that long. Heart-beats slower than the timeout do not keep it open.",
        fix: ["proxy_read_timeout 1h;", "# or heart-beats faster than the timeout: new StompJs.Client({ heartbeatIncoming: 1000, heartbeatOutgoing: 1000 })"],
      },
    },
    "gzip-event-stream": CHAT_ON_WEBSOCKET,
    fixed: CHAT_ON_WEBSOCKET,
  },
  "websocket-raw": {
    ...OTHER_PROXY_ROWS["websocket-raw"],
    // The app answers a GET without Upgrade on the echo path with 426; Chromium reports it and closes with 1006.
    "http1.0-default": {
      must: { opened: false, echoed: false, closeCode: 1006, handshakeStatus: 426 },
      diagnosis: { bug: "B6", why: "Upgrade/Connection are not forwarded (a bare proxy_pass drops them, and its HTTP/1.0 upstream could not carry them): the app sees a plain GET and the handshake fails.", fix: WS_FIX },
    },
    "missing-upgrade": {
      must: { opened: false, echoed: false, closeCode: 1006, handshakeStatus: 426 },
      diagnosis: { bug: "B6", why: "Upgrade/Connection are not forwarded: the app sees a plain GET and the handshake fails.", fix: WS_FIX },
    },
    "buffering-on": ECHO_WORKS,
    "short-read-timeout": ECHO_WORKS,
    "gzip-event-stream": ECHO_WORKS,
    fixed: ECHO_WORKS,
  },
  "sse-timing": {
    ...OTHER_PROXY_ROWS["sse-timing"],
    "gzip-event-stream": {
      must: { verdict: "batched", eventsReceived: 6 },
      diagnosis: {
        bug: "B11",
        why: "gzip_types includes text/event-stream: nginx's gzip filter collects small writes to compress them and releases them when its buffers fill or the stream ends. The cause is gzip, not proxy_buffering.",
        fix: ["gzip_types <your types, without text/event-stream>;", "# or proxy_buffering off; (non-buffered responses are flushed through gzip), or X-Accel-Buffering: no from the app"],
      },
    },
    "http1.0-default": {
      // HTTP/1.0 upstream: the body is close-delimited and nginx passes nothing, headers included, until its
      // buffer fills or the stream ends.
      must: { verdict: "batched", eventsReceived: 6 },
      diagnosis: {
        bug: "B11",
        why: "nginx buffers the upstream response (proxy_buffering on, the default) and, with an HTTP/1.0 upstream, releases it only when the buffer fills or the stream ends: events arrive all at once.",
        fix: BUFFER_FIX,
      },
    },
    // nginx 1.29.7 made HTTP/1.1 the default upstream protocol: the chunked body is forwarded chunk by chunk,
    // as on `buffering-on` (measured: latencies 3-10 ms). The same config, batched on 1.22 and 1.26.
    "http1.0-default@1.30": STREAMED,
    "missing-upgrade": STREAMED,
    // HTTP/1.1 upstream: the chunked body is forwarded chunk by chunk even with buffering on.
    "buffering-on": STREAMED,
    "short-read-timeout": STREAMED,
    fixed: STREAMED,
  },
  "sse-timing-x-accel": {
    ...OTHER_PROXY_ROWS["sse-timing-x-accel"],
    // X-Accel-Buffering: no turns buffering off for this response, whatever the config says.
    "http1.0-default": STREAMED,
    "missing-upgrade": STREAMED,
    "buffering-on": STREAMED,
    "short-read-timeout": STREAMED,
    "gzip-event-stream": STREAMED,
    fixed: STREAMED,
  },
  "sse-open-latency": {
    ...OTHER_PROXY_ROWS["sse-open-latency"],
    "http1.0-default": {
      must: {},
      bounds: { openMs: { min: SSE_LATE_FIRST_MS }, openMsWithOpeningComment: { min: SSE_LATE_FIRST_MS } },
      diagnosis: {
        bug: "B11",
        why: "nginx holds even the response headers until its buffer fills or the stream ends, so onopen never fires while the stream is quiet.",
        fix: BUFFER_FIX,
      },
    },
    // On 1.30 (HTTP/1.1 upstream) nginx, buffering on, sends the headers with the first body byte: a quiet stream
    // opens with its first event, and the app's opening comment opens it at once (measured: 1767 ms without, 22
    // ms with). Not diagnosed, as OPENS_WITH_FIRST_BYTE_ON_H2: the app's default (the comment) works.
    "http1.0-default@1.30": {
      must: { pageProtocol: "http/1.1" },
      bounds: { openMs: { min: SSE_LATE_FIRST_MS * 0.8 }, openMsWithOpeningComment: { max: SSE_LATE_FIRST_MS / 4 } },
    },
    "missing-upgrade": { ...OPENS_AT_ONCE, must: { pageProtocol: "http/1.1" } },
    // The late open here is the HTTP/2 mechanism above, the same as on `fixed`, not buffering: measured alike.
    "buffering-on": OPENS_WITH_FIRST_BYTE_ON_H2,
    "short-read-timeout": OPENS_WITH_FIRST_BYTE_ON_H2,
    "gzip-event-stream": {
      // gzip holds the opening comment too: open comes only when the stream ends.
      must: { pageProtocol: "h2" },
      bounds: { openMs: { min: SSE_LATE_FIRST_MS }, openMsWithOpeningComment: { min: SSE_LATE_FIRST_MS } },
      diagnosis: {
        bug: "B11",
        why: "The gzip filter holds small writes, the opening comment included: the EventSource opens only when the stream ends.",
        fix: ["gzip_types <your types, without text/event-stream>;"],
      },
    },
    fixed: OPENS_WITH_FIRST_BYTE_ON_H2,
    // nginx 1.26 and 1.30's HTTP/2 send HEADERS at once with buffering off (measured: open at 14 and 57 ms, the
    // first event at 1509 and 1557): the late open is 1.22's alone.
    "fixed@1.26": { ...OPENS_AT_ONCE, must: { pageProtocol: "h2" } },
    "fixed@1.30": { ...OPENS_AT_ONCE, must: { pageProtocol: "h2" } },
  },
  "sse-connection-limit": {
    ...OTHER_PROXY_ROWS["sse-connection-limit"],
    "http1.0-default": SIX_PER_ORIGIN,
    "missing-upgrade": SIX_PER_ORIGIN,
    "buffering-on": ALL_OVER_H2,
    "short-read-timeout": ALL_OVER_H2,
    "gzip-event-stream": ALL_OVER_H2,
    fixed: ALL_OVER_H2,
  },
  "sse-client-abort": {
    ...OTHER_PROXY_ROWS["sse-client-abort"],
    "http1.0-default": ABORT_NOTICED,
    "missing-upgrade": ABORT_NOTICED,
    "buffering-on": ABORT_NOTICED,
    "short-read-timeout": ABORT_NOTICED,
    "gzip-event-stream": ABORT_NOTICED,
    fixed: ABORT_NOTICED,
  },
  "sse-wrong-mime": {
    ...OTHER_PROXY_ROWS["sse-wrong-mime"],
    "http1.0-default": WRONG_MIME,
    "missing-upgrade": WRONG_MIME,
    "buffering-on": WRONG_MIME,
    "short-read-timeout": WRONG_MIME,
    "gzip-event-stream": WRONG_MIME,
    fixed: WRONG_MIME,
  },
  "sse-idle-resume": {
    ...OTHER_PROXY_ROWS["sse-idle-resume"],
    "http1.0-default": NEVER_CUT,
    "missing-upgrade": NEVER_CUT,
    "buffering-on": NEVER_CUT,
    "short-read-timeout": {
      // Cut once during the quiet gap; the EventSource comes back with Last-Event-ID: 3 and the app resumes at 4.
      must: { quietReconnects: 1, quietResumedFrom: ["3"], quietExactlyOnce: true, heartbeatReconnects: 0, heartbeatExactlyOnce: true },
      diagnosis: {
        bug: "B12",
        why: "nginx closes a proxied stream after proxy_read_timeout without upstream data: a quiet SSE stream is cut. The browser reconnects; only resuming from Last-Event-ID keeps every event, and heartbeats avoid the cut.",
        fix: ["proxy_read_timeout 1h;", "# and from the app: a ': heartbeat' comment more often than the timeout; resume from Last-Event-ID"],
      },
    },
    "gzip-event-stream": NEVER_CUT,
    fixed: NEVER_CUT,
  },
  // Split origins (seed 002): each variant is one thing wrong; the browser's own error is asserted word for word
  // (ports, tokens and cache-busters normalized: scenarios/split-origin.spec.ts). Measured in Chromium 156.
  "split-rest": {
    "split-fixed": HEALTHY["split-rest"],
    "split-sockjs-relative": HEALTHY["split-rest"],
    "split-mixed-content": {
      must: { tokenStatus: null, restStatus: null, browserError: MIXED_CONTENT("rest"), failedRequests: ["POST http://api.app.test:<port>/api/token mixed-content"] },
      diagnosis: B8_DIAGNOSIS,
    },
    // upgrade-insecure-requests rewrites fetch() to https: REST works.
    "split-mixed-content-csp": HEALTHY["split-rest"],
    "split-info-redirect": HEALTHY["split-rest"],
    "split-sse-header-auth": HEALTHY["split-rest"],
  },
  "split-sockjs": {
    "split-fixed": HEALTHY["split-sockjs"],
    "split-sockjs-relative": {
      // new SockJS('/ws-stomp') resolves against the page: /info goes to www, which has no such file.
      must: { sockjsUrl: "/ws-stomp", infoStatus: 404, infoHost: "www", opened: false, closeCode: 1002, browserError: "Failed to load resource: the server responded with a status of 404 ()" },
      diagnosis: {
        bug: "B7",
        why: "A SockJS URL relative to the page resolves against the front end's host: /info is asked of www, which answers 404, and SockJS gives up.",
        fix: ["new SockJS(API_ORIGIN + '/ws-stomp')  // from the API's origin, not the page's"],
      },
    },
    "split-mixed-content": {
      // The token fetch is blocked as mixed content; SockJS refuses the http:// URL itself, before any request.
      must: { opened: false, infoStatus: null, browserError: MIXED_CONTENT("sockjs"), pageErrors: ["token: TypeError: Failed to fetch", SOCKJS_INSECURE] },
      diagnosis: B8_DIAGNOSIS,
    },
    "split-mixed-content-csp": {
      // Measured: upgrade-insecure-requests cannot help SockJS, which checks the URL's scheme itself and throws
      // before the browser could upgrade the request. REST and SSE on the same page work.
      must: { opened: false, infoStatus: null, browserError: null, pageErrors: [SOCKJS_INSECURE] },
      diagnosis: {
        bug: "B8",
        why: "SockJS refuses an http:// URL on an https page itself (SecurityError), before any request: Content-Security-Policy: upgrade-insecure-requests, which fixes fetch and EventSource, cannot reach it.",
        fix: ["new SockJS('https://api.example.com/ws-stomp')  // or build it from location.protocol"],
      },
    },
    "split-info-redirect": {
      must: {
        opened: false,
        infoStatus: null,
        browserError: "Access to XMLHttpRequest at 'https://api.app.test:<port>/ws-stomp/info?t=<n>' from origin 'https://www.app.test:<port>' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        failedRequests: ["GET https://api.app.test:<port>/ws-stomp/info?t=<n> net::ERR_FAILED"],
      },
      diagnosis: {
        bug: "B9",
        why: "The API's auth filter wants a Bearer header, which SockJS's /info request cannot send: it is redirected to /login, whose answer has no CORS headers, so the browser reports a CORS error.",
        fix: ["let the SockJS endpoint (/ws-stomp/**) through the auth filter and authenticate the STOMP CONNECT instead", "add_header Access-Control-Allow-Origin $http_origin always;  # only for an allow-listed origin"],
      },
    },
    "split-sse-header-auth": HEALTHY["split-sockjs"],
  },
  "split-sse": {
    "split-fixed": HEALTHY["split-sse"],
    "split-sockjs-relative": HEALTHY["split-sse"],
    "split-mixed-content": {
      must: { opened: false, events: 0, browserError: MIXED_CONTENT("sse") },
      diagnosis: B8_DIAGNOSIS,
    },
    "split-mixed-content-csp": HEALTHY["split-sse"],
    "split-info-redirect": HEALTHY["split-sse"],
    "split-sse-header-auth": {
      // The auth filter ends the request as seed 002's did: 200, no Content-Type, no body. Chromium takes the
      // missing type for text/plain and gives B10's own words. (A filter answering 401 shows as a 401 instead.)
      must: { opened: false, events: 0, errorReadyState: 2, streamStatus: 200, browserError: `EventSource's response has a MIME type ("text/plain") that is not "text/event-stream". Aborting the connection.` },
      diagnosis: {
        bug: "B10",
        why: "EventSource cannot send an Authorization header: the auth filter rejects the stream and, ending the request without a status or body, leaves a 200 with no Content-Type, which the browser refuses as text/plain.",
        fix: ["authenticate SSE by cookie (new EventSource(url, { withCredentials: true })) or a short-lived ?token= in the URL", "or let the SSE URL through the header filter (seed 002: permitAll for it)"],
      },
    },
  },
};

export const SCENARIO_NAMES = Object.keys(EXPECTATIONS) as ScenarioName[];

/** The row a variant is held to: its own in the table, or HEALTHY for a user's config. */
export function expectationForVariant<S extends ScenarioName>(scenario: S, variant: VariantEntry): Expectation<Observations[S]> {
  return variant.expects === "healthy" ? (HEALTHY[scenario] as Expectation<Observations[S]>) : expectationFor(scenario, variant.name);
}

/**
 * The field reports a variant's cells show: every bug its rows diagnose (on its nginx version, where a
 * `<variant>@<version>` row overrides). The registry says what a config was written to reproduce; this says
 * what was measured, so `http1.0-default@1.30` no longer claims B11, which that version streams.
 */
export function bugsShown(variant: VariantEntry): BugId[] {
  if (variant.expects === "healthy") return [];
  const shown = new Set<BugId>();
  for (const scenario of SCENARIO_NAMES) {
    const bug = rowOf(scenario, variant.name)?.diagnosis?.bug;
    if (bug) shown.add(bug);
  }
  return variant.reproduces.filter((b) => shown.has(b));
}

/** A project's row: `http1.0-default@1.30`'s own where the version changes what is seen, else its variant's. */
function rowOf<S extends ScenarioName>(scenario: S, project: string): Expectation<Observations[S]> | undefined {
  const rows = EXPECTATIONS[scenario] as unknown as Record<string, Expectation<Observations[S]> | undefined>;
  return rows[project] ?? rows[project.split("@")[0]!];
}

/** The scenarios where the table holds a row of this `<variant>@<version>`'s own: the version changes what is seen. */
export function versionRowScenarios(project: string): ScenarioName[] {
  if (!project.includes("@")) return [];
  return SCENARIO_NAMES.filter((scenario) => Object.hasOwn(EXPECTATIONS[scenario], project));
}

export function expectationFor<S extends ScenarioName>(scenario: S, variant: string): Expectation<Observations[S]> {
  if (!(scenario in EXPECTATIONS)) throw new Error(`Unknown scenario: ${scenario}. Use one of: ${SCENARIO_NAMES.join(", ")}.`);
  const row = rowOf(scenario, variant);
  if (!row) throw new Error(`No expectation for variant ${variant} in scenario ${scenario}. Known variants: ${VARIANT_NAMES.join(", ")}. Add a row to scenarios/expectations.ts.`);
  return row;
}
