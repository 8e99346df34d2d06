import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { router } from "../src/shared/http";
import { installRealtime } from "../src/app/realtime";
import { originAllowed, parseSplitApiOptions, splitApi, type SplitApiOptions } from "../src/app/split-api";

async function serve(options: SplitApiOptions) {
  const api = splitApi(options);
  const server = http.createServer(router({ ...api.routes, ...api.debugRoutes }));
  installRealtime(server, api.realtimeFilter);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const WWW = "https://www.app.test";

describe("split-origin API: options", () => {
  it("reads the variant's choices from the environment, and refuses unknown ones", () => {
    assert.deepEqual(parseSplitApiOptions({}), {
      corsAllowOrigins: [],
      realtimeAuth: "none",
      sseAuth: "token-or-cookie",
    });
    assert.deepEqual(
      parseSplitApiOptions({
        SPLIT_CORS_ALLOW_ORIGINS: "https://www.app.test, https://x.test:8443",
        SPLIT_REALTIME_AUTH: "login-redirect",
        SPLIT_SSE_AUTH: "header",
      }),
      {
        corsAllowOrigins: ["https://www.app.test", "https://x.test:8443"],
        realtimeAuth: "login-redirect",
        sseAuth: "header",
      },
    );
    assert.throws(
      () => parseSplitApiOptions({ SPLIT_SSE_AUTH: "jwt" }),
      /SPLIT_SSE_AUTH must be header or token-or-cookie/,
    );
  });

  it("matches origins exactly: scheme, host and port (the default port is no port)", () => {
    assert.equal(originAllowed(WWW, ["https://www.app.test"]), true);
    assert.equal(originAllowed("https://www.app.test:443", ["https://www.app.test"]), true);
    assert.equal(originAllowed("http://www.app.test", ["https://www.app.test"]), false);
    assert.equal(originAllowed("https://evil.test", ["https://www.app.test"]), false);
    assert.equal(originAllowed("https://www.app.test:8443", ["https://www.app.test"]), false);
    assert.equal(originAllowed(WWW, ["https://www.app.test:8443"]), false);
    assert.equal(originAllowed(undefined, ["https://www.app.test"]), false);
  });
});

describe("split-origin API: CORS, token, SSE auth, auth filter", () => {
  let strict: Awaited<ReturnType<typeof serve>>;
  let open: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    strict = await serve({
      corsAllowOrigins: ["https://www.app.test"],
      realtimeAuth: "login-redirect",
      sseAuth: "header",
    });
    open = await serve({
      corsAllowOrigins: ["https://www.app.test"],
      realtimeAuth: "none",
      sseAuth: "token-or-cookie",
    });
  });
  after(async () => {
    await strict.close();
    await open.close();
  });
  const token = async (base: string) =>
    (
      (await (await fetch(`${base}/api/token`, { method: "POST", headers: { origin: WWW } })).json()) as {
        token: string;
      }
    ).token;

  it("answers an allowed origin's preflight with credentials and the Authorization header; any other origin gets no CORS headers", async () => {
    const ok = await fetch(`${strict.url}/api/me`, {
      method: "OPTIONS",
      headers: {
        origin: WWW,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), WWW);
    assert.equal(ok.headers.get("access-control-allow-credentials"), "true");
    assert.match(ok.headers.get("access-control-allow-headers") ?? "", /Authorization/);
    const no = await fetch(`${strict.url}/api/me`, { method: "OPTIONS", headers: { origin: "https://evil.test" } });
    assert.equal(no.status, 403);
    assert.equal(no.headers.get("access-control-allow-origin"), null);
  });

  it("issues a token with a SameSite=None session cookie, and /api/me wants it as a Bearer header", async () => {
    const res = await fetch(`${strict.url}/api/token`, { method: "POST", headers: { origin: WWW } });
    assert.match(
      res.headers.get("set-cookie") ?? "",
      /^api_session=[0-9a-f]{32}; Path=\/; Secure; HttpOnly; SameSite=None$/,
    );
    const { token: t } = (await res.json()) as { token: string };
    assert.equal((await fetch(`${strict.url}/api/me`, { headers: { authorization: `Bearer ${t}` } })).status, 200);
    assert.equal((await fetch(`${strict.url}/api/me`)).status, 401);
  });

  it("with header auth, an EventSource's request (no header) gets what a filter that stops the chain leaves: 200, no Content-Type, no body (B10)", async () => {
    const t = await token(strict.url);
    const bare = await fetch(`${strict.url}/api/events?token=${t}`, { headers: { origin: WWW } });
    assert.equal(bare.status, 200);
    assert.equal(bare.headers.get("content-type"), null);
    assert.equal(await bare.text(), "");
    const withHeader = await fetch(`${strict.url}/api/events?count=1&interval=10`, {
      headers: { authorization: `Bearer ${t}` },
    });
    assert.equal(withHeader.status, 200);
    assert.match(await withHeader.text(), /^: open\n\nid: 1\ndata: /);
  });

  it("with token-or-cookie auth, ?token= and the cookie open the stream", async () => {
    const t = await token(open.url);
    const byQuery = await fetch(`${open.url}/api/events?token=${t}&count=1&interval=10`, { headers: { origin: WWW } });
    assert.equal(byQuery.status, 200);
    assert.match(byQuery.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.equal(byQuery.headers.get("access-control-allow-origin"), WWW);
    await byQuery.text();
    const byCookie = await fetch(`${open.url}/api/events?count=1&interval=10`, {
      headers: { cookie: `api_session=${t}` },
    });
    assert.equal(byCookie.status, 200);
    await byCookie.text();
  });

  it("the auth filter redirects SockJS's /info without a Bearer token to /login, which has no CORS headers (B9), even with the session cookie; with the header, or without the filter, sockjs answers", async () => {
    const info = await fetch(`${strict.url}/ws-stomp/info?t=1`, { headers: { origin: WWW }, redirect: "manual" });
    assert.equal(info.status, 302);
    assert.equal(info.headers.get("location"), "/login");
    const login = await fetch(`${strict.url}/login`, { headers: { origin: WWW } });
    assert.match(login.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal(login.headers.get("access-control-allow-origin"), null);
    const t = await token(strict.url);
    const withCookie = await fetch(`${strict.url}/ws-stomp/info?t=1`, {
      headers: { origin: WWW, cookie: `api_session=${t}` },
      redirect: "manual",
    });
    assert.equal(withCookie.status, 302);
    const withHeader = await fetch(`${strict.url}/ws-stomp/info?t=1`, {
      headers: { origin: WWW, authorization: `Bearer ${t}` },
    });
    assert.equal(withHeader.status, 200);
    assert.equal(((await withHeader.json()) as { websocket: boolean }).websocket, true);
    assert.equal((await fetch(`${open.url}/ws-stomp/info?t=1`, { headers: { origin: WWW } })).status, 200);
  });

  it("the filter also answers a WebSocket handshake on the endpoint with its redirect", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.get(`${strict.url}/ws-stomp/000/abc/websocket`, {
        headers: {
          connection: "Upgrade",
          upgrade: "websocket",
          "sec-websocket-version": "13",
          "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
      });
      req.on("response", (res) => resolve(res.statusCode ?? 0));
      req.on("upgrade", () => resolve(101));
      req.on("error", reject);
    });
    assert.equal(status, 302);
  });
});
