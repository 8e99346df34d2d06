import type { IncomingMessage } from "node:http";
import type { Routes } from "../shared/http";
import { sendJson } from "../shared/http";

/** The TCP peer, without the IPv4-mapped prefix Node gives on a dual-stack socket. */
const peerOf = (req: IncomingMessage) => (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");

/**
 * The client's address as an app set to trust the one proxy in front of it takes it (Express `trust proxy: 1`,
 * Gitea's REVERSE_PROXY_LIMIT = 1, an app reading nginx's X-Real-IP): X-Real-IP if the proxy sent one, else the
 * rightmost X-Forwarded-For entry (the one that proxy appended), else the TCP peer. Rate limits, audit logs and
 * sign-in checks key on it (field report B22).
 */
export function clientAddressOf(headers: IncomingMessage["headers"], peer: string): string {
  const realIp = [headers["x-real-ip"]].flat()[0]?.trim();
  if (realIp) return realIp;
  const forwarded = [headers["x-forwarded-for"]]
    .flat()
    .filter((v): v is string => !!v)
    .join(",")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return forwarded.at(-1) ?? peer;
}

/** `/client-address`: what the app takes as the client's address, and the headers it took it from. */
export function clientAddressRoutes(): Routes {
  return {
    "GET /client-address": (req, res) =>
      sendJson(res, 200, {
        clientAddress: clientAddressOf(req.headers, peerOf(req)),
        xRealIp: [req.headers["x-real-ip"]].flat()[0] ?? null,
        xForwardedFor: [req.headers["x-forwarded-for"]].flat().join(", ") || null,
        peer: peerOf(req),
      }),
  };
}
