import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { uploadRoutes, type UploadRecord } from "../src/app/upload-routes";
import { serveOnLoopback } from "./loopback";

describe("app's upload routes (field report B19)", () => {
  let base: string;
  let close: () => Promise<void>;
  before(async () => ({ url: base, close } = await serveOnLoopback(uploadRoutes())));
  after(() => close());

  const seen = async (id: string) => (await (await fetch(`${base}/upload/seen?id=${id}`)).json()) as UploadRecord;

  it("counts a whole body and answers its size", async () => {
    const r = await fetch(`${base}/upload?id=whole`, { method: "POST", body: new Uint8Array(300_000) });
    assert.equal(r.status, 200);
    const body = (await r.json()) as UploadRecord;
    assert.equal(body.bytes, 300_000);
    assert.equal(body.done, true);
    assert.ok(body.firstByteAt !== null && body.lastByteAt! >= body.firstByteAt);
    assert.deepEqual(await seen("whole"), body);
  });

  it("shows the first part of a body that is still arriving", async () => {
    const req = http.request(`${base}/upload?id=parts`, { method: "POST" });
    req.write(Buffer.alloc(1000));
    let part = await seen("parts");
    for (let i = 0; i < 50 && part.bytes === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      part = await seen("parts");
    }
    assert.equal(part.bytes, 1000);
    assert.equal(part.done, false);
    const answered = new Promise<number>((resolve) => req.on("response", (res) => resolve(res.statusCode ?? 0)));
    req.end(Buffer.alloc(500));
    assert.equal(await answered, 200);
    assert.equal((await seen("parts")).bytes, 1500);
  });

  it("knows nothing of an upload it never saw", async () => {
    assert.deepEqual(await seen("never"), { bytes: 0, firstByteAt: null, lastByteAt: null, done: false });
  });
});
