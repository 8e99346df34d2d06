/**
 * Time in one place. Every interval and bound a scenario uses is here, multiplied by TIME_SCALE, so a slow
 * machine can stretch the whole matrix (TIME_SCALE=2) without any check being loosened relative to its interval.
 */
export const TIME_SCALE = (() => {
  const raw = process.env.TIME_SCALE ?? "1";
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`TIME_SCALE must be a positive number, not "${raw}"`);
  return value;
})();

export const scaled = (ms: number): number => Math.round(ms * TIME_SCALE);

/** The "requests while idle" window of B6's field report, after the chat has connected. */
export const IDLE_WINDOW_MS = scaled(3_000);
/**
 * How long one chat user may take to connect. SockJS sizes every fallback's timeout from a single /info round
 * trip (rto = 4 × RTT when the RTT is over 100 ms): one /info slowed to 600 ms by a busy core stretched
 * http1.0-default's walk to xhr-polling past 15 s (seen once in 200 runs). The wait ends on an event
 * (subscribed, or SockJS closed for good); this only bounds it. The scenario's own test timeout is
 * CHAT_TEST_TIMEOUT_MS.
 */
export const CHAT_CONNECT_TIMEOUT_MS = scaled(25_000);
export const CHAT_TEST_TIMEOUT_MS = scaled(60_000);
/** Chats per cell at most: a chat the page cannot vouch for (SockJS's own timer lost a WebSocket the proxy passed) is voided and run again. */
export const CHAT_ATTEMPTS = 3;
/** A chat message must reach every member within this. */
export const DELIVERY_BOUND_MS = scaled(2_000);
/** How long a raw WebSocket gets to open and echo. */
export const ECHO_TIMEOUT_MS = scaled(5_000);

/**
 * G: the spacing of SSE events in the timing scenarios, whose "streamed" rule is latency < G/2. At 300 ms the
 * margin over a stall of the page was thin (two of 330 cells with 2 workers saw one event 156-159 ms late on a
 * proxy that streams); 500 ms keeps the rule's shape (every event before the next is sent) with room for it,
 * and a buffering proxy still holds events for whole intervals.
 */
export const SSE_INTERVAL_MS = scaled(500);
/** How many times an SSE timing measurement is taken when the page itself stalled during it (sse-timing.spec.ts). At 3,
 * a
 * noisy hour of the reference VM (a third of attempts void: steal 25-45 % for seconds) left 3 of 40 cells with every
 * attempt void and the last one failing; at 5 that is ~0.2 % of cells. */
export const TIMING_ATTEMPTS = 5;
/** The spacing of events in the other SSE scenarios, which judge cuts, reconnects and aborts, not latency. */
export const SSE_STEP_MS = scaled(300);
export const SSE_EVENTS = 6;
/** In the open-latency scenario the first event is this late, on purpose. */
export const SSE_LATE_FIRST_MS = scaled(1_500);

/** EventSources per page in the connection-limit scenario (browsers allow 6 HTTP/1.1 connections per host). */
export const SSE_STREAMS = 8;
/** A stream counts as open in the connection-limit scenario if its first event came within this. */
export const SSE_FIRST_EVENT_BOUND_MS = scaled(2_000);
/** A fetch() beside the streams is "prompt" within this; past it, it is recorded as stalled. */
export const FETCH_BOUND_MS = scaled(2_000);
/** The app must notice a closed EventSource within this. */
export const ABORT_NOTICE_BOUND_MS = scaled(2_000);
/** After an EventSource fails, how long to watch for (unwanted) reconnects. */
export const RECONNECT_WATCH_MS = scaled(2_000);

/** The quiet gap in the idle-resume scenario: longer than short-read-timeout's 2 s proxy_read_timeout. */
export const SSE_QUIET_GAP_MS = scaled(3_500);
/** Heartbeat comments in the idle-resume scenario: well inside that timeout. Keep TIME_SCALE <= 2 for it. */
export const SSE_HEARTBEAT_MS = scaled(500);
/** The `retry:` the app sends, so a cut stream comes back quickly. */
export const SSE_RETRY_MS = scaled(300);

/** The split-origin front end runs one feature and says it is done: SockJS's own walk is bounded at 10 s in the page. */
export const SPLIT_PAGE_TIMEOUT_MS = scaled(20_000);

/** How long split-upload waits for the proxy's log to give a status the page could not read (Docker's log lag). */
export const UPLOAD_LOG_WAIT_MS = scaled(3_000);

/**
 * The idle-timeout check of a user's config (idle-timeout.spec.ts): quiet connections are held a little longer
 * than the config's own idle timeout, up to this long; a timeout longer than that is read, not waited out.
 * Not scaled: it is the config's own time, not the harness's.
 */
export const IDLE_HOLD_CAP_MS = 130_000;
/** How much longer than the timeout: 10 %, at least 5 s (a proxy's timer is not exact). */
export const idleHoldMs = (timeoutMs: number): number => timeoutMs + Math.max(5_000, Math.round(timeoutMs / 10));

/** How long one step of the OAuth login (to the provider, back to the app) may take before where it ended is the outcome. */
export const OAUTH_STEP_MS = scaled(10_000);

/** The big-headers ladder, bytes of header per step each way (field report B14: 2, 6, 12, 24 KB). */
export const HEADER_LADDER_BYTES = [2_048, 6_144, 12_288, 24_576] as const;

/** The upload ladder, bytes of body per step (field report B19: 64 KiB, a small form's worth; 2 MiB, over nginx's 1m default; 16 MiB). */
export const UPLOAD_LADDER_BYTES = [65_536, 2_097_152, 16_777_216] as const;
/**
 * How long a page that has sent the first part of a streamed body waits for the app to have it: a proxy that
 * passes a body on does so in milliseconds, so nothing after this long means the proxy is holding it.
 */
export const UPLOAD_HOLD_WATCH_MS = scaled(1_500);
