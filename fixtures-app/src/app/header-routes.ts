import type { Routes } from "../shared/http";
import { sendJson } from "../shared/http";

/** The largest cookie value per Set-Cookie: browsers keep a cookie of up to 4096 bytes (name and value). */
const CHUNK = 3_900;

/** `bytes` from the query, bounded: the ladder goes to 24 KB; 256 KB is Chromium's own limit on a response. */
function bytesOf(url: URL): number {
  const n = Number(url.searchParams.get("bytes") ?? "0");
  return Number.isInteger(n) && n >= 0 && n <= 128 * 1024 ? n : 0;
}

/** `n` bytes of a session cookie's worth of token, split the way OIDC clients chunk one (`name_0`, `name_1`…). */
export function cookieChunks(name: string, n: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0, left = n; left > 0; i++, left -= CHUNK) out.push([`${name}_${i}`, "t".repeat(Math.min(CHUNK, left))]);
  return out;
}

/**
 * Big headers, as an OIDC client's session makes them (field report B14): `/headers/set?bytes=N` answers with N
 * bytes of Set-Cookie (chunks of a token, for a path the browser never asks again, so nothing comes back);
 * `/headers/echo` says how many bytes of Cookie arrived. The app itself accepts request headers up to 64 KB
 * (main.ts), so any limit that shows is the proxy's.
 */
export function headerRoutes(): Routes {
  return {
    "GET /headers/set": (_req, res, url) => {
      const bytes = bytesOf(url);
      res.writeHead(200, {
        "content-type": "application/json",
        "cache-control": "no-store",
        "set-cookie": cookieChunks("proxylab_token", bytes).map(
          ([k, v]) => `${k}=${v}; Path=/headers/none; Max-Age=60; SameSite=Lax`,
        ),
      });
      res.end(JSON.stringify({ bytes }));
    },
    "GET /headers/echo": (req, res) => sendJson(res, 200, { cookieBytes: (req.headers.cookie ?? "").length }),
  };
}
