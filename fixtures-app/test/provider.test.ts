import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { newPkce } from "../src/app/oauth-client";
import { provider } from "../src/idp/provider";
import { serveOnLoopback } from "./loopback";

const client = {
  clientId: "proxylab-app",
  clientSecret: "s3cret",
  redirectUri: "https://app.test:8443/oauth/callback",
};

describe("mock OAuth provider", () => {
  let idp: Awaited<ReturnType<typeof serveOnLoopback>>;
  before(async () => {
    const { routes, debugRoutes } = provider(client);
    idp = await serveOnLoopback({ ...routes, ...debugRoutes });
  });
  after(() => idp.close());

  async function authorize(redirectUri: string, challenge: string) {
    const q = new URLSearchParams({
      response_type: "code",
      client_id: client.clientId,
      redirect_uri: redirectUri,
      state: "st-1",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    return fetch(`${idp.url}/authorize?${q}`);
  }

  async function codeFor(challenge: string): Promise<string> {
    const consent = await (await authorize(client.redirectUri, challenge)).text();
    const requestId = /name="request" value="([^"]+)"/.exec(consent)?.[1];
    assert.ok(requestId, "consent page carries the request id");
    const res = await fetch(`${idp.url}/authorize/approve`, {
      method: "POST",
      body: new URLSearchParams({ request: requestId }),
      redirect: "manual",
    });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get("location") ?? "");
    assert.equal(`${location.origin}${location.pathname}`, client.redirectUri);
    assert.equal(location.searchParams.get("state"), "st-1");
    return location.searchParams.get("code") ?? "";
  }

  function exchange(code: string, verifier: string) {
    return fetch(`${idp.url}/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: client.redirectUri,
        client_id: client.clientId,
        client_secret: client.clientSecret,
        code_verifier: verifier,
      }),
    });
  }

  it("answers a redirect_uri that is not the registered one with Error 400 naming the URI it got", async () => {
    const res = await authorize("http://app/oauth/callback", newPkce().challenge);
    assert.equal(res.status, 400);
    const page = await res.text();
    assert.match(page, /Error 400: redirect_uri_mismatch/);
    assert.match(page, /<code id="received-redirect-uri">http:\/\/app\/oauth\/callback<\/code>/);
    const log = (await (await fetch(`${idp.url}/debug/authorize-requests`)).json()) as {
      requests: Array<{ redirectUri: string; outcome: string }>;
    };
    assert.deepEqual(log.requests.at(-1), {
      ...log.requests.at(-1),
      redirectUri: "http://app/oauth/callback",
      outcome: "redirect_uri_mismatch",
    });
  });

  it("issues a token for the right verifier, and refuses the same code a second time", async () => {
    const pkce = newPkce();
    const code = await codeFor(pkce.challenge);
    assert.equal((await exchange(code, pkce.verifier)).status, 200);
    const again = await exchange(code, pkce.verifier);
    assert.equal(again.status, 400);
    assert.deepEqual(await again.json(), { error: "invalid_grant", error_description: "code already used" });
  });

  it("refuses a wrong PKCE verifier", async () => {
    const pkce = newPkce();
    const code = await codeFor(pkce.challenge);
    const res = await exchange(code, newPkce().verifier);
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: "invalid_grant", error_description: "PKCE verification failed" });
  });
});
