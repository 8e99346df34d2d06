import type { IncomingMessage } from "node:http";

/**
 * The first path segment of every page and endpoint the app serves: what follows a prefix it does not know. (The
 * split-origin API's /api/… routes are matched whole, so `/api/` can be a user's prefix too.)
 */
const ROUTE_ROOTS = new Set([
  "ws-stomp",
  "ws-echo",
  "sse",
  "sse-lab",
  "chat",
  "static",
  "login",
  "oauth",
  "random-uuid",
  "healthz",
  "login-required",
  "session",
  "headers",
  "upload",
  "form",
]);

const seen = new WeakMap<IncomingMessage, string>();

/**
 * The app answers under any path prefix, whether the proxy keeps it (`/push/sse`) or strips it (`/sse`): a
 * request whose path starts with segments the app does not know has them taken off before any route (or
 * sockjs) sees it, and remembered. `/push/` alone is the index. Called first for every request and upgrade.
 */
export function stripUnknownPrefix(req: IncomingMessage): void {
  const url = new URL(req.url ?? "/", "http://internal");
  const segments = url.pathname.split("/").slice(1);
  if (segments.length < 2 || ROUTE_ROOTS.has(segments[0]!)) return;
  const i = segments.findIndex((s) => ROUTE_ROOTS.has(s));
  const rest = i < 0 ? (url.pathname.endsWith("/") ? "/" : null) : `/${segments.slice(i).join("/")}`;
  if (rest === null) return;
  const prefix = url.pathname.slice(0, url.pathname.length - rest.length).replace(/\/$/, "");
  seen.set(req, prefix);
  req.url = `${rest}${url.search}`;
}

/**
 * The prefix the app is published under, as far as it can tell: the one it took off the path, else what the
 * proxy says in X-Forwarded-Prefix (a proxy that strips the prefix must say so, or the app cannot know).
 */
export function publicPrefix(req: IncomingMessage): string {
  const taken = seen.get(req);
  if (taken) return taken;
  const header = req.headers["x-forwarded-prefix"];
  const value = (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim() ?? "";
  // A path only (`/app`, `/a/b`): the page writes it into script URLs, so `//host` or a scheme must never pass.
  const prefix = value.replace(/\/+$/, "");
  return /^(\/[^/?#\s\\:]+)*$/.test(prefix) ? prefix : "";
}
