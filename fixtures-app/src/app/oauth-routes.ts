import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { cookies, redirect, sendHtml, type Routes } from "../shared/http";
import {
  authorizeUrl,
  exchangeCode,
  fetchUserInfo,
  newPkce,
  newState,
  OAuthError,
  type OAuthClientConfig,
} from "./oauth-client";
import { loginFailedPage, signedInPage } from "./pages";
import { publicPrefix } from "./path-prefix";
import { publicOrigin } from "./public-url";

interface PendingLogin {
  state: string;
  verifier: string;
  redirectUri: string;
  createdAt: number;
}

const SESSION_COOKIE = "proxylab_sid";
const PENDING_TTL_MS = 10 * 60_000;

/** The OAuth2 authorization-code client: /login starts it, /oauth/callback finishes it. */
export function oauthRoutes(config: OAuthClientConfig): Routes {
  const pending = new Map<string, PendingLogin>();

  function sessionOf(req: IncomingMessage): PendingLogin | undefined {
    const sid = cookies(req).get(SESSION_COOKIE);
    const login = sid ? pending.get(sid) : undefined;
    if (sid && login && Date.now() - login.createdAt > PENDING_TTL_MS) pending.delete(sid);
    return login && Date.now() - login.createdAt <= PENDING_TTL_MS ? login : undefined;
  }

  return {
    "GET /login": (req, res) => {
      const origin = publicOrigin(req.headers);
      const redirectUri = `${origin}${publicPrefix(req)}/oauth/callback`;
      const { verifier, challenge } = newPkce();
      const state = newState();
      const sid = randomBytes(16).toString("hex");
      pending.set(sid, { state, verifier, redirectUri, createdAt: Date.now() });
      const secure = origin.startsWith("https:") ? "; Secure" : "";
      redirect(res, authorizeUrl(config, { redirectUri, state, codeChallenge: challenge }), {
        "set-cookie": `${SESSION_COOKIE}=${sid}; Path=/; HttpOnly; SameSite=Lax${secure}`,
      });
    },

    "GET /oauth/callback": async (req, res, url) => {
      const login = sessionOf(req);
      const code = url.searchParams.get("code");
      const state = url.searchParams.get("state");
      if (url.searchParams.get("error")) {
        sendHtml(res, 400, loginFailedPage(`provider returned error=${url.searchParams.get("error")}`));
        return;
      }
      if (!login) {
        sendHtml(
          res,
          400,
          loginFailedPage("no login in progress for this browser (session cookie missing or expired)"),
        );
        return;
      }
      if (!state || state !== login.state) {
        sendHtml(res, 400, loginFailedPage("state mismatch: the callback's state is not the one this login sent"));
        return;
      }
      if (!code) {
        sendHtml(res, 400, loginFailedPage("callback without a code"));
        return;
      }
      const sid = cookies(req).get(SESSION_COOKIE);
      if (sid) pending.delete(sid);
      try {
        const token = await exchangeCode(config, {
          code,
          redirectUri: login.redirectUri,
          codeVerifier: login.verifier,
        });
        const user = await fetchUserInfo(config, token.access_token);
        sendHtml(res, 200, signedInPage(user, login.redirectUri));
      } catch (err) {
        if (!(err instanceof OAuthError)) throw err;
        sendHtml(res, 502, loginFailedPage(`${err.kind}: ${err.message}`));
      }
    },
  };
}
