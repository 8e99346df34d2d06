import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import sockjs from "sockjs";
import { WebSocketServer } from "ws";
import type { Routes } from "../shared/http";
import { redirect, sendJson } from "../shared/http";
import { StompBroker } from "./stomp/broker";

/** Spring's conventional STOMP endpoint path; the client library is our own copy (no CDN, even for iframes). */
export const SOCKJS_PREFIX = "/ws-stomp";
export const ECHO_PATH = "/ws-echo";
export const SOCKJS_CLIENT_URL = "/static/sockjs.min.js";

interface SessionRecord {
  id: string;
  transport: string;
  openedAt: number;
  closedAt: number | null;
}

/**
 * Per-connection facts for the scenarios, kept by the server itself (read through the debug port,
 * never through the proxy): which transport each SockJS session used and how many HTTP requests each
 * transport made.
 */
class RealtimeRecord {
  /** Which of several replicas this is (REPLICA, e.g. "app-1"), or null for a stack's only app. */
  readonly replica = process.env.REPLICA ?? null;
  readonly sessions: SessionRecord[] = [];
  readonly requestsByTransport: Record<string, number> = {};
  /**
   * Requests for each session id, by kind, whether or not this replica knows the session: a session whose
   * requests reach two replicas (no affinity, B20) shows on both, with the one that never opened it answering 404.
   */
  readonly requestsBySession: Record<string, Record<string, number>> = {};
  readonly echo = { upgrades: 0, plainGets: 0 };

  countRequest(req: IncomingMessage): void {
    const path = new URL(req.url ?? "/", "http://internal").pathname;
    if (!path.startsWith(`${SOCKJS_PREFIX}/`)) return;
    const parts = path.slice(SOCKJS_PREFIX.length + 1).split("/");
    // /<server>/<session>/<transport>, or /info, /iframe*.html
    const kind = parts.length === 3 ? parts[2]! : parts[0]!.startsWith("iframe") ? "iframe" : parts[0]!;
    const key = req.headers.upgrade ? `${kind} (upgrade)` : kind;
    this.requestsByTransport[key] = (this.requestsByTransport[key] ?? 0) + 1;
    if (parts.length === 3) {
      const bySession = (this.requestsBySession[parts[1]!] ??= {});
      bySession[key] = (bySession[key] ?? 0) + 1;
    }
  }
}

/** An auth filter in front of the SockJS endpoint: where to redirect a request, or null to let it through. */
export type RealtimeFilter = (req: IncomingMessage) => { redirectTo: string } | null;

export function installRealtime(server: Server, filter?: RealtimeFilter): { routes: Routes; debugRoutes: Routes } {
  const record = new RealtimeRecord();
  const broker = new StompBroker();

  const echo = new WebSocketServer({ noServer: true });
  echo.on("connection", (ws) => ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary })));
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? "/", "http://internal").pathname !== ECHO_PATH) return;
    record.echo.upgrades++;
    echo.handleUpgrade(req, socket, head, (ws) => echo.emit("connection", ws, req));
  });

  const sock = sockjs.createServer({ sockjs_url: SOCKJS_CLIENT_URL, prefix: SOCKJS_PREFIX, log: () => undefined });
  sock.on("connection", (conn) => {
    if (!conn) return;
    const entry: SessionRecord = { id: conn.id, transport: conn.protocol, openedAt: Date.now(), closedAt: null };
    record.sessions.push(entry);
    const session = broker.attach({ id: conn.id, write: (d) => conn.write(d), close: () => conn.close() });
    conn.on("data", (message: string) => session.data(message));
    conn.on("close", () => {
      entry.closedAt = Date.now();
      session.closed();
    });
  });
  sock.installHandlers(server);
  if (filter) guardSockJs(server, filter);
  // After installHandlers: sockjs wraps the listeners present at install and skips them for its own paths.
  server.prependListener("request", (req: IncomingMessage) => record.countRequest(req));
  server.prependListener("upgrade", (req: IncomingMessage) => record.countRequest(req));

  return {
    routes: {
      // A plain GET on the echo path (a proxy that dropped Upgrade) gets what a WebSocket server says.
      [`GET ${ECHO_PATH}`]: (_req, res) => {
        record.echo.plainGets++;
        res.writeHead(426, { "content-type": "text/plain", upgrade: "websocket", connection: "Upgrade" });
        res.end("426 Upgrade Required: this is a WebSocket endpoint\n");
      },
    },
    debugRoutes: {
      "GET /debug/realtime": (_req, res) => sendJson(res, 200, record),
    },
  };
}

const underPrefix = (req: IncomingMessage) =>
  new URL(req.url ?? "/", "http://internal").pathname.startsWith(`${SOCKJS_PREFIX}/`);

/**
 * Puts the filter in front of sockjs, which replaced the server's listeners with its own at install: every
 * request and upgrade for the SockJS prefix meets the filter first, as in a framework whose security filter
 * chain runs before the WebSocket endpoint. A filtered upgrade gets the filter's answer on the raw socket.
 */
function guardSockJs(server: Server, filter: RealtimeFilter): void {
  const requestListeners = server.listeners("request") as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const decision = underPrefix(req) ? filter(req) : null;
    if (decision) return redirect(res, decision.redirectTo);
    for (const l of requestListeners) l.call(server, req, res);
  });
  const upgradeListeners = server.listeners("upgrade") as Array<
    (req: IncomingMessage, socket: Duplex, head: Buffer) => void
  >;
  server.removeAllListeners("upgrade");
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const decision = underPrefix(req) ? filter(req) : null;
    if (decision) {
      socket.end(
        `HTTP/1.1 302 Found\r\nLocation: ${decision.redirectTo}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    for (const l of upgradeListeners) l.call(server, req, socket, head);
  });
}
