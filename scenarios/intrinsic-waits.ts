import type { Observations, ScenarioName } from "./observations";
import {
  DELIVERY_BOUND_MS,
  FETCH_BOUND_MS,
  IDLE_WINDOW_MS,
  RECONNECT_WATCH_MS,
  SSE_EVENTS,
  SSE_FIRST_EVENT_BOUND_MS,
  SSE_INTERVAL_MS,
  SSE_LATE_FIRST_MS,
  SSE_QUIET_GAP_MS,
  SSE_STEP_MS,
  UPLOAD_HOLD_WATCH_MS,
} from "./timing";

/**
 * The time a cell must wait by design, whatever the harness costs: the server's SSE schedule, observation
 * windows (idle requests, reconnects, writes after an abort), and the bounds a stalled stream or fetch runs
 * out (absence can only be seen by waiting). `npm run bench` sums these into the matrix's floor.
 */
export function intrinsicWaitMs<S extends ScenarioName>(scenario: S, observation: Observations[S]): number {
  const G = SSE_INTERVAL_MS;
  switch (scenario) {
    case "random-uuid":
    case "client-address":
    case "oauth-login":
    case "form-redirect":
    case "websocket-raw":
    case "websocket-origin":
    case "big-headers":
      return 0;
    case "upload-limit":
      // The watch for a streamed body's first part runs out only where the proxy holds it.
      return (observation as Observations["upload-limit"]).bodyHeld ? UPLOAD_HOLD_WATCH_MS : 0;
    case "sockjs-chat":
      // The idle window, once per chat (voided ones included).
      return IDLE_WINDOW_MS * (1 + ((observation as Observations["sockjs-chat"]).voidAttempts?.length ?? 0));
    case "sse-timing":
    case "sse-timing-x-accel": {
      // first=G, then five more G apart: the last event is sent at 6G; once more per voided attempt.
      const o = observation as Observations["sse-timing"];
      return SSE_EVENTS * G * (1 + (o.voidAttempts?.length ?? 0));
    }
    case "sse-open-latency":
      // Two streams, one after the other, each with its first event late on purpose.
      return 2 * SSE_LATE_FIRST_MS;
    case "sse-connection-limit": {
      const o = observation as Observations["sse-connection-limit"];
      return (
        (o.streamsWithFirstEvent < o.streams ? SSE_FIRST_EVENT_BOUND_MS : 0) + (o.fetchCompleted ? 0 : FETCH_BOUND_MS)
      );
    }
    case "sse-client-abort":
      // Three events (0, S, 2S) before the close, then three steps watching for writes.
      return 5 * SSE_STEP_MS;
    case "sse-wrong-mime":
      return RECONNECT_WATCH_MS;
    case "sockjs-replicas": {
      // A message sent and never delivered is seen only when its delivery bound runs out (once per session); one
      // that could not be sent (no STOMP connection) is not waited for.
      const o = observation as Observations["sockjs-replicas"];
      const waited = (sent: boolean | undefined, delivered: boolean) => (sent !== false && !delivered ? 1 : 0);
      return (
        DELIVERY_BOUND_MS *
        (waited(o.websocketSent, o.websocketDelivered) + waited(o.fallbackSent, o.fallbackDelivered))
      );
    }
    case "sse-idle-resume":
      // Two streams side by side (quiet, and with heartbeats): six events a step apart around one quiet gap.
      return SSE_EVENTS * SSE_STEP_MS + SSE_QUIET_GAP_MS;
    default:
      return 0;
  }
}

/**
 * SockJS's fallback walk, which intrinsicWaitMs leaves out: where WebSocket does not work, SockJS tries each
 * transport in turn and gives up on one only when its timer (RTO × its round trips) runs out. That is a wait by
 * design, paid by each user (they join one after the other, through the same proxy). Derived from the observed
 * open time of the first user less `baselineOpenMs` (the run's median open time over WebSocket, which is the
 * page's own share), counted twice.
 */
export function sockJsWalkMs(observation: Observations["sockjs-chat"], baselineOpenMs: number): number {
  if (observation.transport === "websocket" || observation.openMs === null) return 0;
  return 2 * Math.max(0, observation.openMs - baselineOpenMs);
}
