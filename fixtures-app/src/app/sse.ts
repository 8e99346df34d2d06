import type { IncomingMessage, ServerResponse } from "node:http";
import { cookies, redirect, sendHtml, sendJson, type Routes } from "../shared/http";

/** Everything about one stream, as the server saw it (read through the debug port, never through the proxy). */
export interface StreamRecord {
  sid: string;
  openedAt: number;
  /** The Last-Event-ID the browser asked to resume from (header, as EventSource sends it). */
  lastEventId: string | null;
  params: Record<string, string>;
  writes: Array<{ at: number; kind: "prelude" | "event" | "heartbeat"; id?: number; bytes: number }>;
  /** When the server saw the client go away (the request's 'close' before the stream ended). */
  abortedAt: number | null;
  /** Scheduled writes that found the stream already closed, and write errors: the "Broken pipe" analog. */
  writesAfterAbort: number;
  writeErrors: string[];
  endedAt: number | null;
}

export interface SseOptions {
  count: number;
  interval: number;
  /** Delay before the first event (default: one interval). */
  first: number;
  pad: number;
  ids: boolean;
  retry: number | null;
  heartbeat: number;
  accelBufferingNo: boolean;
  /** res.flushHeaders() at once (default), as frameworks do. */
  flush: boolean;
  /** An opening comment right after the headers (default): the first body bytes. */
  prelude: boolean;
  /** A quiet gap of `gap` ms after event number `gapAfter` (an idle stream, for idle-timeout scenarios). */
  gapAfter: number | null;
  gap: number;
}

function int(q: URLSearchParams, name: string, fallback: number, max = 3_600_000): number {
  const raw = q.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${name} must be an integer from 0 to ${max}, not "${raw}"`);
  return value;
}

export function parseSseOptions(q: URLSearchParams): SseOptions {
  const interval = int(q, "interval", 300);
  return {
    count: int(q, "count", 6, 100_000),
    interval,
    first: int(q, "first", interval),
    pad: int(q, "pad", 0, 1_000_000),
    ids: q.get("ids") !== "0",
    retry: q.has("retry") ? int(q, "retry", 0) : null,
    heartbeat: int(q, "heartbeat", 0),
    accelBufferingNo: q.get("xab") === "1",
    flush: q.get("flush") !== "0",
    prelude: q.get("prelude") !== "0",
    gapAfter: q.has("gapAfter") ? int(q, "gapAfter", 0, 100_000) : null,
    gap: int(q, "gap", 0),
  };
}

/**
 * A Server-Sent Events endpoint written the way real apps write one (flush headers at once, an opening
 * comment, one `id:` per event, resume from Last-Event-ID, stop writing when the client goes away),
 * with every knob in the query so scenarios can make the stream the proxy must pass.
 */
export function sseRoutes(): { routes: Routes; debugRoutes: Routes } {
  const streams: StreamRecord[] = [];

  function stream(req: IncomingMessage, res: ServerResponse, url: URL): void {
    let options: SseOptions;
    try {
      options = parseSseOptions(url.searchParams);
    } catch (err) {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end(`${(err as Error).message}\n`);
      return;
    }
    const header = req.headers["last-event-id"];
    const lastEventId = typeof header === "string" ? header : null;
    const record: StreamRecord = {
      sid: url.searchParams.get("sid") ?? "",
      openedAt: Date.now(),
      lastEventId,
      params: Object.fromEntries(url.searchParams),
      writes: [],
      abortedAt: null,
      writesAfterAbort: 0,
      writeErrors: [],
      endedAt: null,
    };
    streams.push(record);

    const timers = new Set<NodeJS.Timeout>();
    const stop = () => timers.forEach((t) => (clearTimeout(t), clearInterval(t)));
    const write = (kind: StreamRecord["writes"][number]["kind"], text: string, id?: number) => {
      if (res.destroyed || res.writableEnded) {
        record.writesAfterAbort++;
        return;
      }
      res.write(text, (err) => err && record.writeErrors.push(err.message));
      record.writes.push({ at: Date.now(), kind, bytes: Buffer.byteLength(text), ...(id === undefined ? {} : { id }) });
    };
    res.on("close", () => {
      if (record.endedAt === null) record.abortedAt = Date.now();
      stop();
    });

    const headers: Record<string, string> = {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    };
    if (options.accelBufferingNo) headers["x-accel-buffering"] = "no";
    res.writeHead(200, headers);
    if (options.flush) res.flushHeaders();
    // Headers alone are not body bytes: a proxy that buffers may hold them until the first byte comes.
    const opening = `${options.prelude ? `: stream ${record.sid} open\n` : ""}${options.retry === null ? "" : `retry: ${options.retry}\n`}`;
    if (opening) write("prelude", `${opening}\n`);

    // Resume after the last id the browser saw: no event lost, none repeated.
    const resumeFrom = lastEventId !== null && /^\d+$/.test(lastEventId) ? Number(lastEventId) + 1 : 1;
    let delay = options.first;
    for (let id = resumeFrom; id <= options.count; id++) {
      if (id > resumeFrom) delay += options.interval;
      if (options.gapAfter !== null && id === options.gapAfter + 1 && resumeFrom <= options.gapAfter)
        delay += options.gap;
      const at = delay;
      timers.add(
        setTimeout(() => {
          const data = JSON.stringify({ id, sentAt: Date.now(), pad: "x".repeat(options.pad) });
          write("event", `${options.ids ? `id: ${id}\n` : ""}data: ${data}\n\n`, id);
          if (id === options.count) {
            record.endedAt = Date.now();
            stop();
            res.end();
          }
        }, at),
      );
    }
    if (resumeFrom > options.count) {
      record.endedAt = Date.now();
      res.end();
    }
    if (options.heartbeat > 0) timers.add(setInterval(() => write("heartbeat", ": heartbeat\n\n"), options.heartbeat));
  }

  return {
    routes: {
      "GET /sse": (req, res, url) => {
        // Field report B10: an auth check EventSource cannot satisfy (it sends no Authorization header) sends
        // the browser to a login page; EventSource then gets text/html. A cookie (or query token) is the fix.
        if (url.searchParams.get("auth") === "cookie" && !cookies(req).has("proxylab_sse_auth")) {
          redirect(res, "login-required");
          return;
        }
        stream(req, res, url);
      },
      "GET /login-required": (_req, res) =>
        sendHtml(res, 200, "<!doctype html><title>Please sign in</title><h1>Please sign in</h1>"),
    },
    debugRoutes: {
      "GET /debug/sse": (_req, res, url) => {
        const sid = url.searchParams.get("sid");
        sendJson(res, 200, { now: Date.now(), streams: sid ? streams.filter((s) => s.sid === sid) : streams });
      },
    },
  };
}
