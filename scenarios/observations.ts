/** What each scenario records: numbers and names read off the page and the wire, nothing inferred. */

export interface RandomUuidObservation {
  /** HTTP status of the page load. */
  status: number;
  /** `location.protocol` of the page. */
  protocol: string;
  /** The navigation's ALPN protocol as the browser reports it: "h2", "http/1.1". */
  nextHopProtocol: string;
  isSecureContext: boolean;
  /** `typeof crypto.randomUUID`: "function" or "undefined". */
  randomUUIDType: string;
  /** The app's getRandomValues-based fallback id, and whether it is a valid v4 UUID. */
  fallbackId: string;
  fallbackIsV4: boolean;
  /** The id the app actually uses (native when present, fallback otherwise) is a valid v4 UUID. */
  appIdIsV4: boolean;
}

export type OAuthOutcome = "signed-in" | "redirect_uri_mismatch" | "login-failed" | `other: ${string}`;

export interface OAuthLoginObservation {
  outcome: OAuthOutcome;
  /** Why the app refused the login, as it says on the page (null unless outcome is login-failed). */
  reason: string | null;
  /** The signed-in user's id, or null. */
  user: string | null;
  /** Status of the page the login ends on. */
  finalStatus: number;
  /** The page the login ends on, without its query. */
  finalUrl: string;
  /** redirect_uri as sent on the wire, from the browser's request to the provider's /authorize. */
  sentRedirectUri: string | null;
  /** redirect_uri as the provider recorded it for this login's state. */
  providerReceivedRedirectUri: string | null;
  registeredRedirectUri: string;
  redirectUriMatchesRegistered: boolean;
}

/** A password sign-in with a server-side session (the app: express-session, `cookie.secure`, `trust proxy`). */
export interface SessionCookieObservation {
  /** Status of the sign-in form's POST, as the browser got it (302 to the next page when it worked). */
  loginStatus: number;
  /** The session cookie in that answer's Set-Cookie, and its attributes (null when there is none). */
  setCookieSeen: boolean;
  cookieSecure: boolean | null;
  cookieSameSite: string | null;
  cookiePath: string | null;
  /** The session cookie in the browser's jar afterwards. */
  cookieInBrowser: boolean;
  /** How often the sign-in page was shown: 1, or 2 when the next page asked again. */
  signInPagesShown: number;
  /** Where it ended: the app's page ("signed-in", "sign-in"), `status <n>` of another page, or a navigation's error. */
  finalState: string;
  finalPath: string;
  pageProtocol: string;
}

export type TransportFamily = "websocket" | "streaming" | "polling";

export interface SockJsChatObservation {
  /** `sock.transport` of the first user's SockJS connection once STOMP is connected. */
  transport: string | null;
  /** The same for the second user (another browser context). */
  peerTransport: string | null;
  /**
   * SockJS's own family of each user's transport. Which rung of a family a fallback walk stops on (xhr-polling
   * or jsonp-polling) depends on timeouts SockJS scales from one /info round trip, not on the proxy; the family
   * is what the proxy decides (no upgrade: no websocket; buffering: no streaming).
   */
  transportFamily: TransportFamily | null;
  peerTransportFamily: TransportFamily | null;
  /** Transports of the SockJS sessions the server saw during the test (its own record). */
  serverTransports: string[];
  /**
   * The app replicas those sessions were opened on: ["app"] for a stack's only app; two names when the balancer
   * put the users on different replicas, each with its own in-memory STOMP broker (B20).
   */
  serverReplicas: string[];
  /** From page start to SockJS open, on the browser's clock. */
  openMs: number | null;
  /** SockJS's RTO from its /info round trip (300 ms + RTT, or 4 × RTT over 100 ms): fallback timeouts scale with it. */
  rtoMs: number | null;
  /** Status of the first `/websocket` handshake Chromium made: 101, or the failing status from its console error. */
  websocketHandshakeStatus: number | null;
  websocketHandshake101: boolean;
  /** Chromium's "HTTP/1.1 101 Switching Protocols" (with the protocol used), Firefox's "101 Switching Protocols", or an error. */
  websocketStatusLine: string | null;
  /** ALPN protocol of the chat page itself ("h2", "http/1.1"). */
  pageProtocol: string;
  /** HTTP requests the first user's page made from navigation until its STOMP subscription was confirmed. */
  connectRequests: number;
  /** HTTP requests the first user's page made during the idle window after connecting (B6's field report: "~300 while idle"). */
  idleRequests: number;
  /** The same window as the server counted it, per SockJS transport. */
  idleServerRequests: Record<string, number>;
  /** Both users received both messages, in the order they were sent. */
  delivered: boolean;
  /** Slowest send → receive over both messages and both users, on the browser's clock. */
  maxDeliveryMs: number | null;
  /** Close codes of the first user's transport while the test ran (1006: closed without a close frame). */
  closeCodes: number[];
  errors: string[];
  /** Chats voided and run again (sockjs-chat.spec.ts, voidReason): why, and what each page and the server saw. */
  voidAttempts: Array<{
    reason: string;
    transports: Array<string | null>;
    serverTransports: string[];
    rtoMs: number | null;
  }>;
}

export interface RawWebSocketObservation {
  opened: boolean;
  echoed: boolean;
  /** CloseEvent.code; 1006 is "closed abnormally" (e.g. the handshake failed). */
  closeCode: number | null;
  handshakeStatus: number | null;
  statusLine: string | null;
  pageProtocol: string;
  /** Chromium's own console error for the WebSocket, if any. */
  consoleError: string | null;
}

export interface SseTimingObservation {
  /** "streamed", "batched", or what it was instead (see scenarios/sse-verdict.ts). */
  verdict: string;
  /** Whether the app sent X-Accel-Buffering: no. */
  accelBufferingNo: boolean;
  intervalMs: number;
  eventsReceived: number;
  /** EventSource creation to `open`, browser clock. */
  openMs: number | null;
  latencies: number[];
  maxLatencyMs: number | null;
  /** A delay added to every flush (HAProxy without http-no-delay) shows here; a stall of the machine does not. */
  medianLatencyMs: number | null;
  arrivalSpreadMs: number | null;
  sendSpreadMs: number | null;
  pageProtocol: string;
  /** The page's largest stall while it measured (gap between its 10 ms ticks): arrival times carry at most this much of the page's own delay. */
  pageLagMaxMs: number;
  /**
   * Earlier attempts not counted, and why: the page stalled longer than G/4 during them, or (once per cell) one
   * event alone was late (scenarios/sse-verdict.ts, isIsolatedLateEvent). Their stall and latencies, as seen.
   */
  voidAttempts: Array<{
    reason: "page stalled" | "one late event";
    pageLagMaxMs: number;
    maxLatencyMs: number | null;
    latencies: number[];
  }>;
}

export interface SseOpenLatencyObservation {
  /** How late the first event was sent, on purpose. */
  firstEventDelayMs: number;
  /** The app flushes its headers and writes nothing until the late first event (the curl case). */
  openMs: number | null;
  /** EventSource creation to the first event, same stream. */
  firstEventMs: number | null;
  /** The same, but the app writes an opening comment right after the headers: its first body bytes. */
  openMsWithOpeningComment: number | null;
  pageProtocol: string;
}

export interface SseConnectionLimitObservation {
  pageProtocol: string;
  streams: number;
  /** Streams whose first event arrived within the bound. */
  streamsWithFirstEvent: number;
  /** A fetch() to the same origin, made while the streams are open. */
  fetchCompleted: boolean;
  fetchMs: number | null;
}

export interface SseClientAbortObservation {
  /** Events the server wrote before the page closed the stream. */
  eventsWrittenBeforeClose: number;
  /** From the page's close() to the app seeing the request close (same machine clock); null if never. */
  abortNoticedMs: number | null;
  /** Writes the app made after the page had closed, before it noticed (they went to the proxy). */
  writesAfterPageClose: number;
  /** Writes attempted on the dead stream after the app noticed, and write errors: the "Broken pipe" analog. */
  writesAfterAbort: number;
  writeErrors: number;
}

export interface SseWrongMimeObservation {
  /** Content-Type of the response EventSource finally got (after redirects). */
  contentType: string | null;
  /** Status of that response. */
  status: number | null;
  /** readyState after the error: 2 is CLOSED (the browser gave up), 0 is CONNECTING (it will retry). */
  readyState: number;
  opened: boolean;
  /** Requests the page made to the SSE URL: 1 means no reconnect. */
  attempts: number;
  /** Chromium's own console message. */
  consoleError: string | null;
}

export interface SseIdleResumeObservation {
  quietGapMs: number;
  /** Without heartbeats: the ids that reached the page, in arrival order. */
  quietIds: number[];
  /** Without heartbeats: streams the server served after the first (EventSource reconnects). */
  quietReconnects: number;
  /** The Last-Event-ID each reconnect asked to resume from. */
  quietResumedFrom: Array<string | null>;
  /** Every id 1..N exactly once, in order. */
  quietExactlyOnce: boolean;
  heartbeatIds: number[];
  heartbeatReconnects: number;
  heartbeatExactlyOnce: boolean;
}

/**
 * Split origins (front end on www.app.test, API on api.app.test): what the page recorded, and the browser's
 * own words. Messages are normalized (ports -> <port>, SockJS's cache-buster -> t=<n>, tokens -> <token>) so
 * that equal failures compare equal across runs.
 */
export interface SplitOriginObservation {
  /** POST /api/token as the page saw it: its status, or null when the request never got an answer. */
  tokenStatus: number | null;
  /** The first error the browser printed to the console for this page, normalized; null when none. */
  browserError: string | null;
  /** Every console error, normalized, in order. */
  consoleErrors: string[];
  /** Requests that failed at the network level: "<method> <url> <Chromium's errorText>", normalized. */
  failedRequests: string[];
  /** What the page's own code caught (fetch rejections, SockJS's constructor throwing). */
  pageErrors: string[];
}

export interface SplitRestObservation extends SplitOriginObservation {
  /** GET /api/me with the Bearer token (a CORS preflight first): its status, or null when it never got one. */
  restStatus: number | null;
}

export interface SplitSockJsObservation extends SplitOriginObservation {
  /** The URL the front end gave SockJS, normalized. */
  sockjsUrl: string | null;
  /** Status of SockJS's /info response as the browser received it (after any redirect), or null. */
  infoStatus: number | null;
  /** Which host answered /info: "www", "api", or null. */
  infoHost: string | null;
  opened: boolean;
  transport: string | null;
  closeCode: number | null;
}

export interface SplitSseObservation extends SplitOriginObservation {
  opened: boolean;
  events: number;
  /** EventSource.readyState at its error: 2 (CLOSED) is a fatal failure, 0 a reconnect; null when none. */
  errorReadyState: number | null;
  /** The stream's response status and Content-Type as the browser received them. */
  streamStatus: number | null;
  streamContentType: string | null;
}

export interface SplitUploadObservation extends SplitOriginObservation {
  /** POST /api/files of 2 MiB as the page saw it: its status, or null when the browser gave it none (CORS). */
  uploadStatus: number | null;
  /** The size the API says it received. */
  uploadBytes: number | null;
  /**
   * The same answer's status on the wire, from the proxy's access log line (a 413 without CORS headers, which the
   * page cannot read), else what the page read; null when neither says.
   */
  wireStatus: number | null;
  /** The proxy's new log lines about the upload (access and error log). Shown, not judged. */
  proxyLogLines: string[];
  /** The body size the proxy refused (2097152), or null: as upload-limit names it. */
  firstFailingBytes: number | null;
}

/**
 * A user's config only: quiet connections held past the config's own idle timeout (read from it: nginx's
 * proxy_read_timeout, 60 s by default; Apache's ProxyTimeout/Timeout; HAProxy's timeout client/server/tunnel;
 * Caddy's read_timeout), a heart-beating stream beside them.
 */
export interface IdleTimeoutObservation {
  streamTimeoutMs: number | null;
  streamTimeoutFrom: string;
  tunnelTimeoutMs: number | null;
  tunnelTimeoutFrom: string;
  /** How long the quiet connections were held; 0 when not checked. */
  heldMs: number;
  /** Why it was not checked (--quick; a timeout longer than the check holds; none at all), or null. */
  notChecked: string | null;
  /**
   * The quiet stream was cut while held: the page saw an error (then a reconnect), or the app saw the proxy close
   * its connection; and when the page saw it (from its open).
   */
  quietStreamCut: boolean;
  quietStreamCutAfterMs: number | null;
  /** Whether the page learned of the cut: a stream the proxy dropped without a word looks open and is dead. */
  quietStreamPageSawCut: boolean;
  /** When the app saw the proxy close the quiet stream's connection, from when it opened (its own clock), or null. */
  quietStreamAppSawCutAfterMs: number | null;
  /** A stream with `: heartbeat` comments at this interval (half the timeout): cut or not. */
  heartbeatMs: number | null;
  heartbeatStreamCut: boolean;
  /** The quiet WebSocket (the echo endpoint, nothing sent) was closed while held, with what code, when. */
  quietSocketOpened: boolean;
  quietSocketClosed: boolean;
  quietSocketCloseCode: number | null;
  quietSocketClosedAfterMs: number | null;
  /** With an app profile: the quiet stream heart-beats as the app does (sse.heartbeatS), else null (silent). */
  appHeartbeatMs?: number | null;
  /** With an app profile: the quiet WebSocket sends a message as often as the app does (websocket.quietS). */
  appSocketPingMs?: number | null;
}

export interface WebSocketOriginObservation {
  /** The page's origin: what Chromium sends as Origin on the handshakes. */
  pageOrigin: string;
  /** A plain WebSocket to the echo endpoint, with the app's origin check on (`?origin=same`). */
  rawOpened: boolean;
  rawEchoed: boolean;
  rawHandshakeStatus: number | null;
  rawCloseCode: number | null;
  /** SockJS to the same app's endpoint with the check on: where it ended, and its `/websocket` handshake's status. */
  sockjsScriptLoaded: boolean;
  sockjsOpened: boolean;
  sockjsTransport: string | null;
  sockjsTransportFamily: TransportFamily | null;
  sockjsHandshakeStatus: number | null;
  /** The app's own record of refused handshakes during the test: the Origin and the Host it compared. */
  rejections: Array<{ path: string; origin: string | null; host: string | null }>;
  /** The Host of the first refusal (the app's reason in one value), or null when none was refused. */
  rejectedHost: string | null;
  pageProtocol: string;
  consoleError: string | null;
}

export interface BigHeadersObservation {
  /** Each step of the ladder: N bytes of Set-Cookie from the app, and the status the page got. */
  responseLadder: Array<{ bytes: number; status: number | null; text: string | null }>;
  /** Each step: N bytes of cookies in the browser's Cookie header, the status, and the bytes the app received. */
  requestLadder: Array<{ bytes: number; status: number | null; appReceived: number | null; text: string | null }>;
  /** The first step that did not answer 200, or null when all did. */
  firstFailingResponseBytes: number | null;
  firstFailingRequestBytes: number | null;
  responseFailStatus: number | null;
  requestFailStatus: number | null;
  /** What the failing step's page said (its <title>: "502 Bad Gateway"), or the fetch's error. */
  responseFailText: string | null;
  requestFailText: string | null;
  /** The proxy's own log lines written during the ladder that speak of headers or their size (nginx, Apache). */
  proxyLogLines: string[];
  pageProtocol: string;
}

export interface UploadLimitObservation {
  /** Each step of the ladder: an upload of N bytes, its status, the bytes the app counted, the error page's words. */
  ladder: Array<{ bytes: number; status: number | null; appReceived: number | null; text: string | null }>;
  /** The first step that did not answer 200, or null when all did. */
  firstFailingBytes: number | null;
  failStatus: number | null;
  /** What the failing step's page said (its <title>: "413 Request Entity Too Large"), or the fetch's error. */
  failText: string | null;
  /** Chromium's console line for a failed upload ("…the server responded with a status of 413 ()"). */
  consoleError: string | null;
  /**
   * A body streamed in two parts, the second sent only after the page asked the app for the first: passed on
   * (the app had it), held (the app had nothing of it for UPLOAD_HOLD_WATCH_MS: the proxy reads a whole body
   * before passing any of it on), failed (no 200 over HTTP/2), or not possible (Chromium streams a request
   * body over HTTP/2 only).
   */
  streamedUpload: "passed-on" | "held" | "failed" | "not-possible";
  bodyHeld: boolean;
  /** The streamed upload got no 200 where the page could stream it (HTTP/2). */
  streamedFailed: boolean;
  /** From sending the first part to the app having it. */
  firstPartSeenMs: number | null;
  streamedStatus: number | null;
  streamedError: string | null;
  streamedAppReceived: number;
  /** The proxy's own log lines written during the uploads that speak of bodies or their size. */
  proxyLogLines: string[];
  pageProtocol: string;
}

/**
 * The app under a path prefix (field report B17): the chat page, whose scripts and SockJS URL the app builds as
 * root paths under the prefix it knows, and the sign-in's redirect_uri. Paths are the browser's, origin taken off.
 */
export interface SubPathObservation {
  /** The prefix the page was opened under (`/app`). */
  prefix: string;
  /** Status of the chat page under the prefix. */
  chatStatus: number | null;
  /** Every request of the chat and stream pages to their own origin outside the prefix: `GET /static/sockjs.min.js`. */
  leftPrefix: string[];
  /** The page's requests that failed: `GET <path> <status>` (4xx/5xx) or `GET <path> <net error>`. */
  failedRequests: string[];
  /** SockJS's transport once connected, or null (no scripts, or no connection within the chat's bound). */
  transport: string | null;
  /** Errors the page threw (`SockJS is not defined` when its scripts did not load). */
  pageErrors: string[];
  /** The path of the app's own event stream, as its page built it (`/app/sse`), or null when the page did not load. */
  streamPath: string | null;
  /** Events that stream delivered (2 sent). */
  streamEvents: number;
  /** The redirect_uri the sign-in sent the browser to the provider with, or null when it did not get there. */
  sentRedirectUri: string | null;
  /** The redirect_uri the provider has registered for this app: its public URL under the prefix. */
  registeredRedirectUri: string;
  sentMatchesRegistered: boolean;
  /** The prefix without its slash (`/app`): the first answer's status and Location, and where the browser ended. */
  bareStatus: number | null;
  bareLocation: string | null;
  /** The page the browser ended on (origin and path), or the navigation's error (`net::ERR_CONNECTION_REFUSED`). */
  bareEnded: string;
  /** That Location sends the browser to another origin than the one it asked (a leaked host, port or scheme). */
  redirectLeftOrigin: boolean;
  /** The sent redirect_uri's path is under the prefix (whatever else of it differs: that is oauth-login's to judge). */
  redirectUriKeptPrefix: boolean | null;
}

/**
 * Two app replicas behind the proxy (field report B20): one SockJS session over WebSocket only, then one over
 * xhr-streaming only (the HTTP fallback: a held POST and a POST per message), and which replicas each reached.
 */
export interface SockJsReplicasObservation {
  /** App replicas on the stack's network. */
  replicas: number;
  websocketTransport: string | null;
  /** The page could send its message (SockJS connected): only then is there a delivery to wait for. */
  websocketSent: boolean;
  /** The page's own message came back to it through the broker. */
  websocketDelivered: boolean;
  /** The replicas that saw any request of the session (`app-1`), from their own records. Shown, not judged. */
  websocketReplicas: string[];
  /** The session reached more than one replica. */
  websocketSpread: boolean;
  /** The session's requests that failed: `GET /ws-stomp/<server>/<session>/websocket 404`. */
  websocketFailed: string[];
  fallbackTransport: string | null;
  fallbackSent: boolean;
  fallbackDelivered: boolean;
  fallbackReplicas: string[];
  fallbackSpread: boolean;
  /** `POST /ws-stomp/<server>/<session>/xhr_send 404`: a replica that never opened the session. */
  fallbackFailed: string[];
  /** Each replica's requests of the fallback session, by kind (`xhr_streaming`, `xhr_send`). Shown, not judged. */
  fallbackRequestsByReplica: Record<string, Record<string, number>>;
  /** The chat page's own errors (`send failed: There is no underlying STOMP connection`). Shown, not judged. */
  fallbackErrors: string[];
}

export interface FormRedirectObservation {
  /** The form page's status (null: it never loaded). */
  formStatus: number | null;
  /** The post's answer as the browser got it: 303 from the app, or the proxy's own status. */
  postStatus: number | null;
  /** Its Location as written (after any rewrite of the proxy's: proxy_redirect, ProxyPassReverse). */
  location: string | null;
  /** How that Location, resolved, differs from the page's own URL: `scheme http instead of https`. */
  locationDiffers: string[];
  /** Where the browser ended: its URL without the query, or the navigation's error (`net::ERR_NAME_NOT_RESOLVED`). */
  ended: string;
  /** The page's own state there (`sent`), or null on any other page. */
  finalState: string | null;
}

export interface Observations {
  "random-uuid": RandomUuidObservation;
  "oauth-login": OAuthLoginObservation;
  "session-cookie": SessionCookieObservation;
  "form-redirect": FormRedirectObservation;
  "sockjs-chat": SockJsChatObservation;
  "websocket-raw": RawWebSocketObservation;
  "websocket-origin": WebSocketOriginObservation;
  "big-headers": BigHeadersObservation;
  "upload-limit": UploadLimitObservation;
  "sse-timing": SseTimingObservation;
  "sse-timing-x-accel": SseTimingObservation;
  "sse-open-latency": SseOpenLatencyObservation;
  "sse-connection-limit": SseConnectionLimitObservation;
  "sse-client-abort": SseClientAbortObservation;
  "sse-wrong-mime": SseWrongMimeObservation;
  "sse-idle-resume": SseIdleResumeObservation;
  "split-rest": SplitRestObservation;
  "split-sockjs": SplitSockJsObservation;
  "split-sse": SplitSseObservation;
  "split-upload": SplitUploadObservation;
  "idle-timeout": IdleTimeoutObservation;
  "sub-path": SubPathObservation;
  "sockjs-replicas": SockJsReplicasObservation;
  "client-address": ClientAddressObservation;
}

export type ScenarioName = keyof Observations;

/** What the app takes as the client's address, against the browser's (field report B22). */
export interface ClientAddressObservation {
  /** Status of the page's own fetch of /client-address through the proxies. */
  status: number;
  /** What the app took (X-Real-IP, else the rightmost X-Forwarded-For entry, else its TCP peer). */
  clientAddress: string | null;
  xRealIp: string | null;
  xForwardedFor: string | null;
  peer: string | null;
  /**
   * The browser's address as the first hop sees it: the stack network's gateway, through which Docker's port
   * publishing hands over every connection from this machine.
   */
  browserAddress: string;
  /** Whose address the app took: "browser", "edge" (the load balancer's), "proxy" (the config's own), "other". */
  whose: "browser" | "edge" | "proxy" | "other" | null;
}

/** The scenarios of the split-origin topology: only split-origin variants run them. */
export type SplitScenario = "split-rest" | "split-sockjs" | "split-sse" | "split-upload";
/** The scenario of the sub-path topology: sub-path variants run it, and a user's config under `--path`. */
export type SubPathScenario = "sub-path";
/** The scenario of the replicas topology: only replicas variants run it. */
export type ReplicasScenario = "sockjs-replicas";

/** The topology whose variants have rows in a scenario (each topology runs its own scenarios). */
export function topologyOfScenario(scenario: string): "single-origin" | "split-origin" | "sub-path" | "replicas" {
  if (scenario.startsWith("split-")) return "split-origin";
  if (scenario === "sub-path") return "sub-path";
  return scenario === "sockjs-replicas" ? "replicas" : "single-origin";
}
/** The scenario of stacks with an edge in front (docs/edge.md): only they, and a user's config behind one, run it. */
export type EdgeScenario = "client-address";
/**
 * The behind-edge topology's scenarios: where a second hop changes what is seen (the scheme the app is told, the
 * upgrade through both hops, the client's address). A user's config behind an edge runs every scenario.
 */
export const BEHIND_EDGE_SCENARIOS = [
  "oauth-login",
  "session-cookie",
  "form-redirect",
  "websocket-raw",
  "client-address",
] as const satisfies readonly ScenarioName[];
export type BehindEdgeScenario = (typeof BEHIND_EDGE_SCENARIOS)[number];

/** Scenarios only a user's config runs (`npm run repro`): the registry's variants have no rows in them. */
export type UserOnlyScenario = "idle-timeout";
