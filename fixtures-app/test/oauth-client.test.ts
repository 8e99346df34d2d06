import assert from "node:assert/strict";
import { afterEach, before, describe, it } from "node:test";
import nock from "nock";
import {
  exchangeCode,
  fetchUserInfo,
  OAuthError,
  pkceChallenge,
  type OAuthClientConfig,
} from "../src/app/oauth-client";

const config: OAuthClientConfig = {
  clientId: "proxylab-app",
  clientSecret: "s3cret",
  authorizeUrl: "https://idp.test:9443/authorize",
  tokenUrl: "https://idp.test:9443/token",
  userInfoUrl: "https://idp.test:9443/userinfo",
  timeoutMs: 300,
};
const params = { code: "the-code", redirectUri: "https://app.test:8443/oauth/callback", codeVerifier: "v".repeat(43) };

describe("OAuth client against a mocked token endpoint", () => {
  before(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    assert.deepEqual(pending, [], "every mocked call was made");
  });

  it("exchanges the code with the verifier and the same redirect_uri, then reads userinfo", async () => {
    nock("https://idp.test:9443")
      .post(
        "/token",
        (body: Record<string, string>) =>
          body.grant_type === "authorization_code" &&
          body.code === "the-code" &&
          body.redirect_uri === params.redirectUri &&
          body.code_verifier === params.codeVerifier &&
          body.client_id === "proxylab-app" &&
          body.client_secret === "s3cret",
      )
      .reply(200, { access_token: "at-1", token_type: "Bearer", expires_in: 3600 })
      .get("/userinfo")
      .matchHeader("authorization", "Bearer at-1")
      .reply(200, { sub: "alice", name: "Alice Example" });
    const token = await exchangeCode(config, params);
    assert.equal(token.access_token, "at-1");
    assert.deepEqual(await fetchUserInfo(config, token.access_token), { sub: "alice", name: "Alice Example" });
  });

  it("turns an OAuth error response into a provider_error carrying the error code", async () => {
    nock("https://idp.test:9443")
      .post("/token")
      .reply(400, { error: "invalid_grant", error_description: "PKCE verification failed" });
    await assert.rejects(exchangeCode(config, params), (err: unknown) => {
      assert.ok(err instanceof OAuthError);
      assert.equal(err.kind, "provider_error");
      assert.equal(err.status, 400);
      assert.equal(err.providerError, "invalid_grant");
      assert.match(err.message, /PKCE verification failed/);
      return true;
    });
  });

  it("gives up with a timeout error when the token endpoint does not answer in time", async () => {
    nock("https://idp.test:9443")
      .post("/token")
      .delay(2_000)
      .reply(200, { access_token: "late", token_type: "Bearer" });
    const started = Date.now();
    await assert.rejects(exchangeCode(config, params), (err: unknown) => {
      assert.ok(err instanceof OAuthError);
      assert.equal(err.kind, "timeout");
      return true;
    });
    assert.ok(Date.now() - started < 1_500, "the timeout fired before the delayed reply");
  });

  it("reports a non-JSON answer (a proxy's HTML error page, say) as bad_response", async () => {
    nock("https://idp.test:9443").post("/token").reply(502, "<html><body>502 Bad Gateway</body></html>");
    await assert.rejects(
      exchangeCode(config, params),
      (err: unknown) => err instanceof OAuthError && err.kind === "bad_response",
    );
  });
});

describe("PKCE", () => {
  it("matches the S256 example of RFC 7636 appendix B", () => {
    assert.equal(
      pkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    );
  });
});
