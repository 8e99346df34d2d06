import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { cookies, sendHtml, sendJson, sendText, type Routes } from "../shared/http";
import type { RealtimeFilter } from "./realtime";

/**
 * The API side of the split-origin topology (front end on www.<domain>, API on api.<domain>): a token, a
 * REST call, an event stream, and what stands in front of them. The parts users get wrong are options, set
 * per variant like the proxy config: which origins CORS allows, whether an auth filter redirects the SockJS
 * endpoint to a login page, and how the event stream authenticates.
 */
export interface SplitApiOptions {
  /** Origins allowed to call the API with credentials, compared exactly (scheme, host and port), as browsers send them. */
  corsAllowOrigins: string[];
  /** "login-redirect": requests for the SockJS endpoint without a Bearer token go to /login, as a token API's default auth filter does. */
  realtimeAuth: "none" | "login-redirect";
  /**
   * "header": only `Authorization: Bearer`, which EventSource cannot send (a failure is an empty 200, as a filter
   * that stops the chain gives); "token-or-cookie": `?token=` or the session cookie.
   */
  sseAuth: "header" | "token-or-cookie";
}

const SESSION_COOKIE = "api_session";

export function parseSplitApiOptions(env: NodeJS.ProcessEnv): SplitApiOptions {
  const realtimeAuth = env.SPLIT_REALTIME_AUTH ?? "none";
  const sseAuth = env.SPLIT_SSE_AUTH ?? "token-or-cookie";
  if (realtimeAuth !== "none" && realtimeAuth !== "login-redirect")
    throw new Error(`SPLIT_REALTIME_AUTH must be none or login-redirect, not "${realtimeAuth}"`);
  if (sseAuth !== "header" && sseAuth !== "token-or-cookie")
    throw new Error(`SPLIT_SSE_AUTH must be header or token-or-cookie, not "${sseAuth}"`);
  const corsAllowOrigins = (env.SPLIT_CORS_ALLOW_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return { corsAllowOrigins, realtimeAuth, sseAuth };
}

/** Whether an Origin header is on the allow-list: scheme, host and port exact (a default port is no port). */
export function originAllowed(origin: string | undefined, allow: readonly string[]): boolean {
  if (!origin) return false;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  return allow.some((entry) => {
    const a = new URL(entry);
    return a.protocol === o.protocol && a.hostname === o.hostname && a.port === o.port;
  });
}

/** The CORS headers for an allowed origin (credentials included), or none at all, as a server that does not allow it. */
export function corsHeaders(req: IncomingMessage, allow: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (!originAllowed(origin, allow)) return {};
  return { "access-control-allow-origin": origin!, "access-control-allow-credentials": "true", vary: "Origin" };
}

export interface SplitApiRecord {
  tokensIssued: number;
  meCalls: Array<{ at: number; authorized: boolean }>;
  streams: Array<{ at: number; authorized: boolean; via: "header" | "token" | "cookie" | null }>;
  loginRedirects: Array<{ at: number; path: string }>;
}

export function splitApi(options: SplitApiOptions): {
  routes: Routes;
  debugRoutes: Routes;
  /** For the SockJS endpoint's requests and upgrades, before sockjs sees them (realtime.ts). */
  realtimeFilter: RealtimeFilter;
} {
  const tokens = new Set<string>();
  const record: SplitApiRecord = { tokensIssued: 0, meCalls: [], streams: [], loginRedirects: [] };
  const cors = (req: IncomingMessage) => corsHeaders(req, options.corsAllowOrigins);
  const bearer = (req: IncomingMessage) => /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
  const session = (req: IncomingMessage) => cookies(req).get(SESSION_COOKIE);

  // A preflight for an allowed origin gets the methods and the Authorization header; any other gets no CORS
  // headers, and the browser blocks the real request.
  const preflight: Routes[string] = (req, res) => {
    const headers = cors(req);
    if (Object.keys(headers).length === 0) return sendText(res, 403, "origin not allowed\n");
    res.writeHead(204, {
      ...headers,
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "Authorization",
      "access-control-max-age": "600",
    });
    res.end();
  };

  const events: Routes[string] = (req, res, url) => {
    const byHeader = bearer(req);
    const byToken = url.searchParams.get("token") ?? undefined;
    const byCookie = session(req);
    const via =
      byHeader && tokens.has(byHeader)
        ? "header"
        : options.sseAuth === "token-or-cookie" && byToken && tokens.has(byToken)
          ? "token"
          : options.sseAuth === "token-or-cookie" && byCookie && tokens.has(byCookie)
            ? "cookie"
            : null;
    record.streams.push({ at: Date.now(), authorized: via !== null, via });
    // An auth failure answers as the B10 field report's JwtAuthenticationFilter did: it ends the chain without setting
    // a
    // status or writing anything, so the controller never runs and the container sends 200 with no
    // Content-Type and no body. EventSource then reports a MIME type of "text/plain" (field report B10). A
    // filter that answers 401 shows as a 401 instead (measured in Chromium 156), not as B10.
    if (via === null) {
      res.writeHead(200, { "cache-control": "no-store", ...cors(req) });
      res.end();
      return;
    }
    const count = Math.min(Number(url.searchParams.get("count") ?? 3) || 3, 100);
    const interval = Math.min(Number(url.searchParams.get("interval") ?? 100) || 100, 10_000);
    res.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      "x-accel-buffering": "no",
      ...cors(req),
    });
    res.write(": open\n\n");
    let sent = 0;
    const timer = setInterval(() => {
      sent++;
      res.write(`id: ${sent}\ndata: ${JSON.stringify({ n: sent, sentAt: Date.now() })}\n\n`);
      if (sent >= count) {
        clearInterval(timer);
        res.end();
      }
    }, interval);
    req.on("close", () => clearInterval(timer));
  };

  return {
    routes: {
      "OPTIONS /api/token": preflight,
      "OPTIONS /api/me": preflight,
      "OPTIONS /api/events": preflight,
      "POST /api/token": (req, res) => {
        const token = randomBytes(16).toString("hex");
        tokens.add(token);
        record.tokensIssued++;
        // SameSite=None: the cookie is the API's, sent on the front end's cross-origin requests.
        res.writeHead(200, {
          "content-type": "application/json",
          "cache-control": "no-store",
          "set-cookie": `${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=None`,
          ...cors(req),
        });
        res.end(JSON.stringify({ token }));
      },
      "GET /api/me": (req, res) => {
        const token = bearer(req);
        const authorized = token !== undefined && tokens.has(token);
        record.meCalls.push({ at: Date.now(), authorized });
        if (!authorized) {
          res.writeHead(401, { "content-type": "application/json", "cache-control": "no-store", ...cors(req) });
          res.end(JSON.stringify({ error: "unauthorized" }));
          return;
        }
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", ...cors(req) });
        res.end(JSON.stringify({ user: "demo" }));
      },
      "GET /api/events": events,
      // An upload from the front end (B19 across origins): its size, with the CORS headers every API answer has.
      // (Not /api/upload: `upload` is one of the app's own routes, and path-prefix.ts would take /api as a prefix.)
      "POST /api/files": async (req, res) => {
        let bytes = 0;
        for await (const chunk of req) bytes += (chunk as Buffer).length;
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store", ...cors(req) });
        res.end(JSON.stringify({ bytes }));
      },
      // The login page an auth filter redirects to: HTML, and no CORS headers (it was never meant for XHR).
      "GET /login": (_req, res) => sendHtml(res, 200, "<!doctype html><title>Sign in</title><h1>Sign in</h1>"),
    },
    debugRoutes: {
      "GET /debug/split": (_req, res) => sendJson(res, 200, record),
    },
    realtimeFilter: (req) => {
      if (options.realtimeAuth !== "login-redirect") return null;
      // A token API's filter: only `Authorization: Bearer` counts, which SockJS's /info request cannot carry
      // (with the session cookie accepted, the front end's credentials got through and B9 did not show).
      const token = bearer(req);
      if (token && tokens.has(token)) return null;
      record.loginRedirects.push({ at: Date.now(), path: new URL(req.url ?? "/", "http://internal").pathname });
      return { redirectTo: "/login" };
    },
  };
}
