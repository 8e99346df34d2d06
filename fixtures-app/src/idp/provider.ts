import { randomBytes, timingSafeEqual } from "node:crypto";
import { pkceChallenge } from "../app/oauth-client";
import { readForm, redirect, sendHtml, sendJson, type Routes } from "../shared/http";
import { badRequestPage, consentPage, redirectUriMismatchPage } from "./pages";

export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** Compared exactly, as Google does: scheme, host, port and path. */
  redirectUri: string;
}

export interface AuthorizeRecord {
  at: number;
  clientId: string | null;
  redirectUri: string | null;
  state: string | null;
  outcome: "consent" | "redirect_uri_mismatch" | "invalid_request";
}

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
}

interface IssuedCode extends PendingAuthorization {
  expiresAt: number;
  used: boolean;
}

const USER = { sub: "alice", name: "Alice Example" };
const CODE_TTL_MS = 60_000;

function token(): string {
  return randomBytes(24).toString("base64url");
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Provider {
  routes: Routes;
  debugRoutes: Routes;
}

export function provider(client: RegisteredClient): Provider {
  const authorizeLog: AuthorizeRecord[] = [];
  const pending = new Map<string, PendingAuthorization>();
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, typeof USER>();

  function tokenError(error: string, description: string) {
    return { error, error_description: description };
  }

  const routes: Routes = {
    "GET /authorize": (_req, res, url) => {
      const q = url.searchParams;
      const record: AuthorizeRecord = {
        at: Date.now(),
        clientId: q.get("client_id"),
        redirectUri: q.get("redirect_uri"),
        state: q.get("state"),
        outcome: "invalid_request",
      };
      authorizeLog.push(record);
      if (record.clientId !== client.clientId) {
        sendHtml(res, 400, badRequestPage("invalid_client", `unknown client_id ${String(record.clientId)}`));
        return;
      }
      if (record.redirectUri !== client.redirectUri) {
        record.outcome = "redirect_uri_mismatch";
        sendHtml(res, 400, redirectUriMismatchPage(String(record.redirectUri)));
        return;
      }
      const challenge = q.get("code_challenge");
      if (
        q.get("response_type") !== "code" ||
        !challenge ||
        q.get("code_challenge_method") !== "S256" ||
        !record.state
      ) {
        sendHtml(
          res,
          400,
          badRequestPage("invalid_request", "expected response_type=code, state, and a S256 code_challenge"),
        );
        return;
      }
      record.outcome = "consent";
      const requestId = token();
      pending.set(requestId, {
        clientId: client.clientId,
        redirectUri: client.redirectUri,
        state: record.state,
        codeChallenge: challenge,
      });
      sendHtml(res, 200, consentPage(client.clientId, requestId, USER.name));
    },

    "POST /authorize/approve": async (req, res) => {
      const form = await readForm(req);
      const requestId = form.get("request") ?? "";
      const auth = pending.get(requestId);
      if (!auth) {
        sendHtml(res, 400, badRequestPage("invalid_request", "unknown or already used authorization request"));
        return;
      }
      pending.delete(requestId);
      const code = token();
      codes.set(code, { ...auth, expiresAt: Date.now() + CODE_TTL_MS, used: false });
      const target = new URL(auth.redirectUri);
      target.searchParams.set("code", code);
      target.searchParams.set("state", auth.state);
      redirect(res, target.toString());
    },

    "POST /token": async (req, res) => {
      const form = await readForm(req);
      if (form.get("grant_type") !== "authorization_code") {
        sendJson(res, 400, tokenError("unsupported_grant_type", "only authorization_code"));
        return;
      }
      if (
        form.get("client_id") !== client.clientId ||
        !sameSecret(form.get("client_secret") ?? "", client.clientSecret)
      ) {
        sendJson(res, 401, tokenError("invalid_client", "client authentication failed"));
        return;
      }
      const code = codes.get(form.get("code") ?? "");
      if (!code || code.expiresAt < Date.now()) {
        sendJson(res, 400, tokenError("invalid_grant", "unknown or expired code"));
        return;
      }
      if (code.used) {
        // RFC 6749 §4.1.2: a code used twice is refused (and a real provider would revoke its tokens).
        sendJson(res, 400, tokenError("invalid_grant", "code already used"));
        return;
      }
      code.used = true;
      if (form.get("redirect_uri") !== code.redirectUri) {
        sendJson(res, 400, tokenError("invalid_grant", "redirect_uri differs from the authorization request"));
        return;
      }
      if (pkceChallenge(form.get("code_verifier") ?? "") !== code.codeChallenge) {
        sendJson(res, 400, tokenError("invalid_grant", "PKCE verification failed"));
        return;
      }
      const accessToken = token();
      accessTokens.set(accessToken, USER);
      sendJson(res, 200, { access_token: accessToken, token_type: "Bearer", expires_in: 3600 });
    },

    "GET /userinfo": (req, res) => {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const user = bearer ? accessTokens.get(bearer) : undefined;
      if (!user) {
        sendJson(res, 401, { error: "invalid_token" });
        return;
      }
      sendJson(res, 200, user);
    },
  };

  const debugRoutes: Routes = {
    "GET /debug/authorize-requests": (_req, res) =>
      sendJson(res, 200, { registeredRedirectUri: client.redirectUri, requests: authorizeLog }),
  };

  return { routes, debugRoutes };
}
