import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, it } from "node:test";
import { parseSseOptions, sseRoutes, type StreamRecord } from "../src/app/sse";
import { serveOnLoopback } from "./loopback";

function read(
  url: string,
  headers: Record<string, string> = {},
  abortAfterEvents?: number,
): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
        if (abortAfterEvents !== undefined && (body.match(/^data: /gm) ?? []).length >= abortAfterEvents) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body });
        }
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }));
    });
    req.on("error", (err) => (abortAfterEvents === undefined ? reject(err) : undefined));
  });
}

const ids = (body: string) => [...body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe("SSE endpoint", () => {
  let app: Awaited<ReturnType<typeof serveOnLoopback>>;
  before(async () => {
    const { routes, debugRoutes } = sseRoutes();
    app = await serveOnLoopback({ ...routes, ...debugRoutes });
  });
  after(() => app.close());
  const streams = async (sid: string) =>
    ((await (await fetch(`${app.url}/debug/sse?sid=${sid}`)).json()) as { streams: StreamRecord[] }).streams;

  it("sends count events with ids and send times, after an opening comment, as text/event-stream", async () => {
    const res = await read(`${app.url}/sse?sid=a&count=3&interval=10&first=0&retry=500`);
    assert.equal(res.status, 200);
    assert.match(res.type, /^text\/event-stream/);
    assert.match(res.body, /^: stream a open\nretry: 500\n\n/);
    assert.deepEqual(ids(res.body), [1, 2, 3]);
    const [record] = await streams("a");
    assert.deepEqual(
      record?.writes.map((w) => w.kind),
      ["prelude", "event", "event", "event"],
    );
    assert.ok(record?.endedAt);
  });

  it("without the opening comment, sends headers alone first (prelude=0)", async () => {
    const res = await read(`${app.url}/sse?sid=p&count=1&interval=10&first=0&prelude=0`);
    assert.match(res.body, /^id: 1\n/);
  });

  it("resumes after Last-Event-ID: nothing lost, nothing repeated", async () => {
    const res = await read(`${app.url}/sse?sid=b&count=5&interval=10&first=0`, { "last-event-id": "2" });
    assert.deepEqual(ids(res.body), [3, 4, 5]);
    assert.equal((await streams("b"))[0]?.lastEventId, "2");
  });

  it("keeps a quiet gap after gapAfter, filled only by heartbeat comments, and skips it on resume past it", async () => {
    const started = Date.now();
    const res = await read(`${app.url}/sse?sid=c&count=3&interval=10&first=0&gapAfter=1&gap=150&heartbeat=40`);
    assert.ok(Date.now() - started >= 150);
    assert.ok((res.body.match(/^: heartbeat$/gm) ?? []).length >= 2);
    const resumed = Date.now();
    await read(`${app.url}/sse?sid=c2&count=3&interval=10&first=0&gapAfter=1&gap=150`, { "last-event-id": "1" });
    assert.ok(Date.now() - resumed < 120, "no gap again after resuming past it");
  });

  it("notices a client that goes away and writes nothing more to it", async () => {
    await read(`${app.url}/sse?sid=d&count=50&interval=20&first=0&heartbeat=5`, {}, 2);
    // Wait for the server to see the close (an event, not a fixed sleep: a busy machine delays it), bounded.
    let record: StreamRecord | undefined;
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 10))) {
      [record] = await streams("d");
      if (record?.abortedAt) break;
    }
    assert.ok(record?.abortedAt, "abort recorded within 5 s");
    // A few more heartbeat periods: any write after the abort would show now.
    await new Promise((r) => setTimeout(r, 50));
    [record] = await streams("d");
    assert.equal(record?.endedAt, null);
    assert.equal(record?.writesAfterAbort, 0);
    assert.deepEqual(record?.writeErrors, []);
    const last = Math.max(...(record?.writes.map((w) => w.at) ?? [0]));
    assert.ok(last <= (record?.abortedAt ?? 0), "no write after the abort");
  });

  it("sends X-Accel-Buffering: no only when asked, and refuses a bad parameter with 400", async () => {
    const xab = await new Promise<http.IncomingMessage>((resolve) => http.get(`${app.url}/sse?count=0&xab=1`, resolve));
    assert.equal(xab.headers["x-accel-buffering"], "no");
    xab.resume();
    assert.equal((await read(`${app.url}/sse?interval=-5`)).status, 400);
    assert.throws(() => parseSseOptions(new URLSearchParams("count=abc")), /count must be an integer/);
  });

  it("sends an EventSource without the auth cookie to a login page (text/html): field report B10", async () => {
    const res = await fetch(`${app.url}/sse?auth=cookie`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    assert.ok(res.redirected);
  });
});
