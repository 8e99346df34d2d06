import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sessionRoutes } from "../src/app/session-routes";
import { serveOnLoopback } from "./loopback";

describe("app's session sign-in (express-session, cookie.secure, trust proxy)", () => {
  let app: Awaited<ReturnType<typeof serveOnLoopback>>;
  before(async () => {
    app = await serveOnLoopback(sessionRoutes());
  });
  after(() => app.close());

  const signIn = (headers: Record<string, string>) =>
    fetch(`${app.url}/session/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: "user=alice&password=alice-pw",
    });

  it("behind a proxy that says https: a Secure session cookie, and the next page knows the user", async () => {
    const res = await signIn({ "x-forwarded-proto": "https" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "me");
    const cookie = res.headers.get("set-cookie") ?? "";
    assert.match(cookie, /^proxylab_session=[0-9a-f]{32}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const me = await fetch(`${app.url}/session/me`, { headers: { cookie: cookie.split(";")[0]! } });
    assert.equal(me.status, 200);
    assert.match(await me.text(), /id="user">alice</);
  });

  it("with no X-Forwarded-Proto: no cookie at all, and the next page asks to sign in again", async () => {
    const res = await signIn({});
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("set-cookie"), null);
    const me = await fetch(`${app.url}/session/me`, { redirect: "manual" });
    assert.equal(me.status, 302);
    assert.equal(me.headers.get("location"), "./?again=1");
  });
});
