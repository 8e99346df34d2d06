import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { sendJson, type Routes } from "../shared/http";

/** What a WebSocket handshake must carry in its query for the app to check its Origin (B15). */
export const ORIGIN_CHECK_QUERY = "origin=same";

interface Rejection {
  path: string;
  origin: string | null;
  host: string | null;
  at: number;
}

/**
 * The same-origin check WebSocket servers apply against cross-site hijacking, as gorilla/websocket's default
 * CheckOrigin (Grafana and many Go apps) does it: the Origin's host[:port] must equal the Host header, ignoring
 * case. A proxy that rewrites Host to its upstream's name, or drops a public port, fails it: 403 with gorilla's
 * words. Only for handshakes whose query asks for it (`?origin=same`), so every other scenario is untouched.
 * Wraps the upgrade listeners present when called (the echo and sockjs), as a framework's handshake
 * interceptor runs before the endpoint.
 */
export function guardOrigin(server: Server): { debugRoutes: Routes } {
  const rejections: Rejection[] = [];
  const listeners = server.listeners("upgrade") as Array<(req: IncomingMessage, socket: Duplex, head: Buffer) => void>;
  server.removeAllListeners("upgrade");
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://internal");
    if (url.searchParams.get("origin") === "same" && !sameOrigin(req.headers.origin, req.headers.host)) {
      rejections.push({
        path: url.pathname,
        origin: req.headers.origin ?? null,
        host: req.headers.host ?? null,
        at: Date.now(),
      });
      const body = "websocket: request origin not allowed by Upgrader.CheckOrigin\n";
      socket.end(
        `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
      return;
    }
    for (const l of listeners) l.call(server, req, socket, head);
  });
  return { debugRoutes: { "GET /debug/origin": (_req, res) => sendJson(res, 200, { rejections }) } };
}

/** gorilla/websocket's checkSameOrigin: no Origin passes (not a browser); else Origin's host equals Host. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  return originHost.toLowerCase() === (host ?? "").toLowerCase();
}
