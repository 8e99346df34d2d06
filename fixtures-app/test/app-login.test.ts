import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { oauthRoutes } from "../src/app/oauth-routes";
import { serveOnLoopback } from "./loopback";

describe("app's OAuth callback", () => {
  let app: Awaited<ReturnType<typeof serveOnLoopback>>;
  before(async () => {
    app = await serveOnLoopback(
      oauthRoutes({
        clientId: "proxylab-app",
        clientSecret: "s3cret",
        authorizeUrl: "https://idp.test:9443/authorize",
        tokenUrl: "http://127.0.0.1:9/token",
        userInfoUrl: "http://127.0.0.1:9/userinfo",
        timeoutMs: 500,
      }),
    );
  });
  after(() => app.close());

  it("builds redirect_uri from the forwarded headers and sends state + S256 challenge", async () => {
    const res = await fetch(`${app.url}/login`, {
      redirect: "manual",
      headers: { "x-forwarded-proto": "https", "x-forwarded-host": "app.test:8443" },
    });
    assert.equal(res.status, 302);
    const target = new URL(res.headers.get("location") ?? "");
    assert.equal(target.searchParams.get("redirect_uri"), "https://app.test:8443/oauth/callback");
    assert.equal(target.searchParams.get("code_challenge_method"), "S256");
    assert.ok(target.searchParams.get("state"));
    assert.match(res.headers.get("set-cookie") ?? "", /; Secure/);
  });

  it("rejects a callback whose state is not the one the login sent (forged state)", async () => {
    const login = await fetch(`${app.url}/login`, { redirect: "manual" });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const res = await fetch(`${app.url}/oauth/callback?code=c&state=forged`, { headers: { cookie } });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /state mismatch/);
  });
});
