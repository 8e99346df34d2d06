import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { cookies, escapeHtml, readForm, redirect, sendHtml, type Routes } from "../shared/http";

const COOKIE = "proxylab_session";
const TTL_MS = 10 * 60_000;

/**
 * Whether the request reached the app over https, as express's `req.secure` decides it with `trust proxy` set:
 * the first X-Forwarded-Proto if a proxy sent one, else the app's own socket (plain http here).
 */
export function isSecureRequest(req: IncomingMessage): boolean {
  const forwarded = req.headers["x-forwarded-proto"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim().toLowerCase();
  return first === "https";
}

const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;

/**
 * A password sign-in with a server-side session, like express-session with `cookie: { secure: true }` and
 * `trust proxy`: the session cookie is Secure, and on a request the app does not see as https it is not sent at
 * all (express-session skips it silently), so the next page asks to sign in again (field report B13). Relative
 * URLs only: it works under any path prefix.
 */
export function sessionRoutes(): Routes {
  const sessions = new Map<string, { user: string; createdAt: number }>();
  const userOf = (req: IncomingMessage) => {
    const s = sessions.get(cookies(req).get(COOKIE) ?? "");
    return s && Date.now() - s.createdAt < TTL_MS ? s.user : undefined;
  };
  return {
    "GET /session/": (_req, res, url) =>
      sendHtml(
        res,
        200,
        page(
          "Sign in",
          `<h1 id="state">sign-in</h1>${url.searchParams.has("again") ? `<p id="again">Please sign in (no session).</p>` : ""}
<form method="post" action="login"><input name="user" value="alice"><input name="password" type="password" value="alice-pw"><button id="submit" type="submit">Sign in</button></form>`,
        ),
      ),
    "POST /session/login": async (req, res) => {
      const form = await readForm(req);
      const user = form.get("user") ?? "";
      if (user !== "alice" || form.get("password") !== "alice-pw") {
        sendHtml(res, 401, page("Sign in failed", `<h1 id="state">sign-in-failed</h1>`));
        return;
      }
      const sid = randomBytes(16).toString("hex");
      sessions.set(sid, { user, createdAt: Date.now() });
      // express-session: a secure cookie on a request that is not secure is not set (no header, no error).
      const setCookie: Record<string, string> = isSecureRequest(req)
        ? { "set-cookie": `${COOKIE}=${sid}; Path=/; HttpOnly; Secure; SameSite=Lax` }
        : {};
      redirect(res, "me", setCookie);
    },
    "GET /session/me": (req, res) => {
      const user = userOf(req);
      if (!user) {
        redirect(res, "./?again=1");
        return;
      }
      sendHtml(res, 200, page("Signed in", `<h1 id="state">signed-in</h1><p id="user">${escapeHtml(user)}</p>`));
    },
  };
}
