import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { guardOrigin, sameOrigin } from "../src/app/origin-check";

describe("app's WebSocket origin check (gorilla/websocket's checkSameOrigin)", () => {
  it("compares the Origin's host[:port] with Host, ignoring case", () => {
    assert.equal(sameOrigin("https://app.test", "app.test"), true);
    assert.equal(sameOrigin("https://App.Test:8443", "app.test:8443"), true);
    assert.equal(sameOrigin(undefined, "app"), true, "no Origin: not a browser, passes");
    assert.equal(sameOrigin("https://app.test", "app"), false, "Host rewritten to the upstream's name");
    assert.equal(sameOrigin("https://app.test:8443", "app.test"), false, "Host without the public port");
    assert.equal(sameOrigin("null", "app.test"), false);
  });

  let server: http.Server;
  let port: number;
  const reached: string[] = [];
  before(async () => {
    server = http.createServer();
    server.on("upgrade", (req, socket) => {
      reached.push(req.url ?? "");
      socket.end("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
    });
    const { debugRoutes } = guardOrigin(server);
    assert.ok(debugRoutes["GET /debug/origin"]);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const handshake = (path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request({
        host: "127.0.0.1",
        port,
        path,
        headers: { connection: "Upgrade", upgrade: "websocket", ...headers },
      });
      req.on("upgrade", (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on("response", (res) => resolve(res.statusCode ?? 0));
      req.on("error", reject);
      req.end();
    });

  it("asked for (?origin=same): 403 when Host is the upstream's name, through when it is the public one", async () => {
    assert.equal(await handshake("/ws-echo?origin=same", { host: "app", origin: "https://app.test" }), 403);
    assert.equal(await handshake("/ws-echo?origin=same", { host: "app.test", origin: "https://app.test" }), 101);
    assert.deepEqual(reached, ["/ws-echo?origin=same"]);
  });

  it("not asked for: every handshake goes through, whatever its Host", async () => {
    assert.equal(await handshake("/ws-echo", { host: "app", origin: "https://app.test" }), 101);
  });
});
