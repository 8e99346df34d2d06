import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import https from "node:https";

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** Where the browser is sent: the provider's public URL. */
  authorizeUrl: string;
  /** Where the app talks to the provider server-to-server (over the container network). */
  tokenUrl: string;
  userInfoUrl: string;
  timeoutMs: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
}

export interface UserInfo {
  sub: string;
  name: string;
}

export type OAuthErrorKind = "provider_error" | "timeout" | "network" | "bad_response";

export class OAuthError extends Error {
  constructor(
    readonly kind: OAuthErrorKind,
    message: string,
    readonly status?: number,
    readonly providerError?: string,
  ) {
    super(message);
    this.name = "OAuthError";
  }
}

export function base64url(bytes: Buffer): string {
  return bytes.toString("base64url");
}

export function newPkce(): { verifier: string; challenge: string } {
  const verifier = base64url(randomBytes(32));
  return { verifier, challenge: pkceChallenge(verifier) };
}

export function pkceChallenge(verifier: string): string {
  return base64url(createHash("sha256").update(verifier).digest());
}

export function newState(): string {
  return base64url(randomBytes(16));
}

export function authorizeUrl(
  config: OAuthClientConfig,
  params: { redirectUri: string; state: string; codeChallenge: string },
): string {
  const url = new URL(config.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: params.redirectUri,
    scope: "openid profile",
    state: params.state,
    code_challenge: params.codeChallenge,
    code_challenge_method: "S256",
  }).toString();
  return url.toString();
}

interface RawResponse {
  status: number;
  body: string;
}

function request(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number },
): Promise<RawResponse> {
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    // A deadline for the whole exchange, not a socket idle timeout: a provider that drips bytes must not hang a login.
    const deadline = setTimeout(() => {
      req.destroy(
        new OAuthError("timeout", `${options.method} ${url}: no complete answer within ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(deadline);
      reject(err instanceof OAuthError ? err : new OAuthError("network", `${options.method} ${url}: ${err.message}`));
    };
    const req = transport.request(target, { method: options.method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") });
      });
      res.on("error", fail);
    });
    req.on("error", fail);
    req.end(options.body);
  });
}

function parseJson(url: string, res: RawResponse): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(res.body);
    if (parsed && typeof parsed === "object") return parsed as Record<string, unknown>;
  } catch {
    // fall through: reported below with the body that was not JSON
  }
  throw new OAuthError(
    "bad_response",
    `${url} answered ${res.status} with a body that is not a JSON object: ${res.body.slice(0, 200)}`,
    res.status,
  );
}

/** The authorization-code exchange, server to server (RFC 6749 §4.1.3 with the PKCE verifier of RFC 7636). */
export async function exchangeCode(
  config: OAuthClientConfig,
  params: { code: string; redirectUri: string; codeVerifier: string },
): Promise<TokenResponse> {
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code: params.code,
    redirect_uri: params.redirectUri,
    client_id: config.clientId,
    client_secret: config.clientSecret,
    code_verifier: params.codeVerifier,
  }).toString();
  const res = await request(config.tokenUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body,
    timeoutMs: config.timeoutMs,
  });
  const json = parseJson(config.tokenUrl, res);
  if (res.status !== 200) {
    const error = typeof json.error === "string" ? json.error : "unknown_error";
    const description = typeof json.error_description === "string" ? `: ${json.error_description}` : "";
    throw new OAuthError(
      "provider_error",
      `token endpoint answered ${res.status} ${error}${description}`,
      res.status,
      error,
    );
  }
  if (typeof json.access_token !== "string" || typeof json.token_type !== "string") {
    throw new OAuthError("bad_response", `token endpoint answered 200 without access_token/token_type`, res.status);
  }
  return json as unknown as TokenResponse;
}

export async function fetchUserInfo(config: OAuthClientConfig, accessToken: string): Promise<UserInfo> {
  const res = await request(config.userInfoUrl, {
    method: "GET",
    headers: { authorization: `Bearer ${accessToken}`, accept: "application/json" },
    timeoutMs: config.timeoutMs,
  });
  const json = parseJson(config.userInfoUrl, res);
  if (res.status !== 200 || typeof json.sub !== "string") {
    throw new OAuthError(
      "provider_error",
      `userinfo endpoint answered ${res.status}`,
      res.status,
      String(json.error ?? ""),
    );
  }
  return { sub: json.sub, name: typeof json.name === "string" ? json.name : json.sub };
}
