import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { describe, it } from "node:test";
import { publicPrefix, stripUnknownPrefix } from "../src/app/path-prefix";

const request = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

describe("the app under any path prefix", () => {
  it("takes off a prefix it does not know and remembers it", () => {
    for (const [url, path, prefix] of [
      ["/push/sse?count=2", "/sse?count=2", "/push"],
      ["/a/b/ws-stomp/123/abc/websocket", "/ws-stomp/123/abc/websocket", "/a/b"],
      ["/push/", "/", "/push"],
      ["/push/static/sockjs.min.js", "/static/sockjs.min.js", "/push"],
    ] as const) {
      const req = request(url);
      stripUnknownPrefix(req);
      assert.equal(req.url, path, url);
      assert.equal(publicPrefix(req), prefix, url);
    }
  });

  it("leaves the app's own paths alone, and takes the prefix from X-Forwarded-Prefix when the proxy stripped it", () => {
    for (const url of ["/", "/sse?x=1", "/oauth/callback?code=1", "/unknown"]) {
      const req = request(url);
      stripUnknownPrefix(req);
      assert.equal(req.url, url);
      assert.equal(publicPrefix(req), "");
    }
    const stripped = request("/login", { "x-forwarded-prefix": "/push/" });
    stripUnknownPrefix(stripped);
    assert.equal(publicPrefix(stripped), "/push");
  });

  it("takes from X-Forwarded-Prefix a path only: never another host or a scheme (the page writes it into script URLs)", () => {
    for (const value of ["//evil.example", "https://evil.example", "/a//b", "/a?x", "\\evil", "/a b"]) {
      const req = request("/login", { "x-forwarded-prefix": value });
      stripUnknownPrefix(req);
      assert.equal(publicPrefix(req), "", value);
    }
    const nested = request("/login", { "x-forwarded-prefix": "/a/b" });
    assert.equal(publicPrefix(nested), "/a/b");
  });
});
