import type { BugId } from "../lib/bugs";
import { sizeText } from "../lib/byte-sizes";
import type { AppProfile } from "../lib/profile";
import type { Observations, ScenarioName } from "./observations";

/**
 * How much a finding matters. breaks: the feature fails for every user of it. limit: it fails past a measured
 * number (streams, quiet seconds, header or body size), which matters only to apps that go past it. note: a
 * difference worth knowing that breaks nothing.
 */
export type Level = "breaks" | "limit" | "note";

export interface LevelOf {
  level: Level;
  /** Why this level, from the table below (or the profile that made a limit a need). */
  why: string;
  /** A limit as measured, with where it comes from: "uploads of 2 MiB get 413 (64 KiB pass)". */
  limit?: string;
}

/** Each field report's level, and why: data, decided by what the report says fails and for whom. */
export const BUG_LEVELS: Record<BugId, { level: Level; why: string }> = {
  B1: { level: "breaks", why: "every sign-in through the provider fails" },
  B2: { level: "breaks", why: "the proxy does not start" },
  B3: { level: "breaks", why: "every secure-context API is missing for every visitor" },
  B4: { level: "breaks", why: "no stream can be held" },
  B5: { level: "limit", why: "fails past six HTTP/1.1 streams per origin" },
  B6: { level: "breaks", why: "no WebSocket passes; clients fall back and poll, or fail" },
  B7: { level: "breaks", why: "the client cannot reach its endpoint" },
  B8: { level: "breaks", why: "the browser blocks the request" },
  B9: { level: "breaks", why: "the browser blocks the request" },
  B10: { level: "breaks", why: "the event stream never opens" },
  B11: { level: "breaks", why: "events arrive in one batch, not as sent" },
  B12: { level: "limit", why: "fails past the proxy's idle timeout" },
  B13: { level: "breaks", why: "no session survives the sign-in" },
  B14: { level: "limit", why: "fails past the proxy's header buffer" },
  B15: { level: "breaks", why: "every WebSocket is refused" },
  B16: { level: "breaks", why: "a location loses the headers the app needs" },
  B17: { level: "breaks", why: "the app's own URLs miss its prefix" },
  B18: { level: "breaks", why: "the browser is sent where it cannot go" },
  B19: { level: "limit", why: "fails past the proxy's body limit, or holds a body whole" },
  B20: { level: "breaks", why: "sessions or rooms split across replicas" },
  B21: { level: "breaks", why: "the app believes every request came over http" },
  B22: {
    level: "breaks",
    why: "every client has the proxy's address: rate limits, audit logs and sign-in checks see one",
  },
  B23: { level: "limit", why: "fails past the shorter hop's idle timeout" },
};

/** Where a scenario's finding weighs other than its field report's level. */
const SCENARIO_LEVELS: { [S in ScenarioName]?: Partial<Record<BugId, { level: Level; why: string }>> } = {
  // The stream opens with its first event, not when the app flushed its headers; events arrive as sent.
  "sse-open-latency": {
    B11: { level: "note", why: "events arrive as sent; only the stream's open waits for the first" },
  },
};

const seconds = (ms: number | null) => (ms === null ? "?" : `${(ms / 1000).toFixed(1)} s`);
const kb = (n: number) => `${Math.round(n / 1024)} KB`;
const lastPassing = (ladder: ReadonlyArray<{ bytes: number; status: number | null }>, failing: number) =>
  [...ladder].reverse().find((s) => s.bytes < failing && s.status === 200)?.bytes ?? null;

/**
 * Per limit scenario: the limit in words, as measured (a number and where it comes from), and whether the
 * profile asked for it (the scenario then ran at the profile's number, so a failure is a need not carried).
 */
const LIMITS: {
  [S in ScenarioName]?: {
    measured: (o: Observations[S]) => string | null;
    needed: (p: AppProfile, o: Observations[S]) => string | null;
    /** Whether the measured limit carries the profile's number, where the scenario measures past it. */
    carried?: (p: AppProfile, o: Observations[S]) => string | null;
  };
} = {
  "idle-timeout": {
    measured: (o) =>
      [
        o.quietStreamCut
          ? `${o.appHeartbeatMs ? `streams heart-beating every ${seconds(o.appHeartbeatMs)} (your profile)` : "quiet streams"} are cut after ${seconds(o.quietStreamCutAfterMs ?? o.quietStreamAppSawCutAfterMs)} (${o.streamTimeoutFrom})`
          : "",
        o.quietSocketClosed
          ? `${o.appSocketPingMs ? `WebSockets sending every ${seconds(o.appSocketPingMs)} (your profile)` : "quiet WebSockets"} are cut after ${seconds(o.quietSocketClosedAfterMs)} (${o.tunnelTimeoutFrom})`
          : "",
      ]
        .filter(Boolean)
        .join("; ") || null,
    needed: (p, o) =>
      o.quietStreamCut && p.sse?.heartbeatS !== undefined
        ? `sse.heartbeatS ${p.sse.heartbeatS}`
        : o.quietSocketClosed && p.websocket?.quietS !== undefined
          ? `websocket.quietS ${p.websocket.quietS}`
          : null,
  },
  "sse-connection-limit": {
    measured: (o) =>
      `${o.streamsWithFirstEvent} of ${o.streams} event streams of one page open at once over ${o.pageProtocol} (browsers keep 6 HTTP/1.1 connections per origin)`,
    needed: (p) => (p.streamsPerPage !== undefined ? `streamsPerPage ${p.streamsPerPage}` : null),
    // The page opens eight: a profile's fewer fit when they leave a connection for the page's other requests.
    carried: (p, o) =>
      p.streamsPerPage !== undefined && p.streamsPerPage < o.streamsWithFirstEvent
        ? `${p.streamsPerPage} streams per page fit: ${o.streamsWithFirstEvent} opened at once over ${o.pageProtocol}, one more is left for the page's requests`
        : null,
  },
  "big-headers": {
    measured: (o) => {
      const part = (
        side: string,
        ladder: Observations["big-headers"]["responseLadder"],
        fail: number | null,
        status: number | null,
      ) => {
        if (fail === null) return "";
        const pass = lastPassing(ladder, fail);
        return `${side} headers of ${kb(fail)} get ${status ?? "no answer"}${pass !== null ? ` (${kb(pass)} pass)` : ""}`;
      };
      return (
        [
          part("response", o.responseLadder, o.firstFailingResponseBytes, o.responseFailStatus),
          part("request", o.requestLadder, o.firstFailingRequestBytes, o.requestFailStatus),
        ]
          .filter(Boolean)
          .join("; ") || null
      );
    },
    needed: (p) => (p.headers?.maxBytes !== undefined ? `headers.maxBytes ${kb(p.headers.maxBytes)}` : null),
  },
  "upload-limit": {
    measured: (o) => {
      const pass = o.firstFailingBytes !== null ? lastPassing(o.ladder, o.firstFailingBytes) : null;
      return (
        [
          o.firstFailingBytes !== null
            ? `uploads of ${sizeText(o.firstFailingBytes)} get ${o.failStatus ?? "no answer"}${pass !== null ? ` (${sizeText(pass)} pass)` : ""}`
            : "",
          o.bodyHeld ? "an upload is held whole by the proxy before the app sees a byte of it" : "",
        ]
          .filter(Boolean)
          .join("; ") || null
      );
    },
    needed: (p, o) =>
      o.firstFailingBytes !== null && p.uploads?.maxBytes !== undefined
        ? `uploads.maxBytes ${sizeText(p.uploads.maxBytes)}`
        : o.bodyHeld && p.uploads?.streamed === true
          ? "uploads.streamed"
          : null,
  },
};

/**
 * A finding's level: its field report's, or the scenario's where that differs. A limit the profile asked for
 * (the scenario ran at the profile's number and the config could not carry it) breaks.
 */
export function levelOf<S extends ScenarioName>(
  scenario: S,
  bug: BugId | null,
  observation: Observations[S] | null,
  profile: AppProfile | null,
): LevelOf {
  if (!bug) return { level: "breaks", why: "not healthy, and no field report matches" };
  const base = SCENARIO_LEVELS[scenario]?.[bug] ?? BUG_LEVELS[bug];
  if (base.level !== "limit") return base;
  const rule = LIMITS[scenario] as LimitRule<S> | undefined;
  const limit = (observation && rule?.measured(observation)) ?? undefined;
  const needed = profile && observation && rule ? rule.needed(profile, observation) : null;
  return {
    level: needed ? "breaks" : "limit",
    why: needed ? `your profile needs it (${needed})` : base.why,
    ...(limit ? { limit } : {}),
  };
}

type LimitRule<S extends ScenarioName> = {
  measured: (o: Observations[S]) => string | null;
  needed: (p: AppProfile, o: Observations[S]) => string | null;
  carried?: (p: AppProfile, o: Observations[S]) => string | null;
};

/** Where a limit was measured past the profile's number and carries it: why the app is fine with it, or null. */
export function carriedFor<S extends ScenarioName>(
  scenario: S,
  observation: Observations[S],
  profile: AppProfile | null,
): string | null {
  const rule = LIMITS[scenario] as LimitRule<S> | undefined;
  return profile && rule?.carried ? rule.carried(profile, observation) : null;
}

/** The order a report lists findings in: what breaks first. */
export const LEVEL_ORDER: readonly Level[] = ["breaks", "limit", "note"];

/** SARIF's words for the levels. */
export const SARIF_LEVEL: Record<Level, "error" | "warning" | "note"> = {
  breaks: "error",
  limit: "warning",
  note: "note",
};

/** A cell's level: its diagnosis's; a cell broken with no known failure, or that failed before observing, breaks. */
export function levelOfCell(cell: { diagnosis: { level?: Level } | null }): Level {
  return cell.diagnosis?.level ?? "breaks";
}
