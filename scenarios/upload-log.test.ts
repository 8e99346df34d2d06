import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { uploadLog } from "./upload-log";

const ACCESS = `10.0.0.1 - - [04/Dec/2026:18:34:54 +0000] "POST /api/files HTTP/2.0" 413 585 "https://www.app.test/" "Chrome"`;
const ERROR = `2026/12/04 18:34:54 [error] 13#13: *14 client intended to send too large body: 2097152 bytes, request: "POST /api/files HTTP/2.0"`;
const OLD = `10.0.0.1 - - [04/Dec/2026:18:30:00 +0000] "POST /api/files HTTP/2.0" 200 20 "-" "Chrome"`;

/** A stack whose log gains lines read by read, as Docker delivers them late. */
function lagging(reads: string[][]) {
  let n = 0;
  return {
    reads: () => n,
    logs: () => Promise.resolve({ proxy: (reads[Math.min(n++, reads.length - 1)] ?? []).join("\n") }),
  };
}

describe("the upload's status from the proxy's log", () => {
  const before = new Set([OLD]);
  const fast = { waitMs: 500, pollMs: 1 };

  it("waits for lines that are not there yet when the page read no status", async () => {
    const stack = lagging([[OLD], [OLD], [OLD, ERROR], [OLD, ERROR, ACCESS]]);
    const seen = await uploadLog(stack, before, null, fast);
    assert.equal(seen.status, 413);
    assert.deepEqual(seen.lines, [ERROR, ACCESS]);
  });

  it("takes the page's own status without waiting", async () => {
    const stack = lagging([[OLD]]);
    assert.equal((await uploadLog(stack, before, 200, fast)).status, null);
    assert.equal(stack.reads(), 1);
  });

  it("gives up at its bound when no line comes (the request never left the browser)", async () => {
    const stack = lagging([[OLD]]);
    const began = Date.now();
    const seen = await uploadLog(stack, before, null, { waitMs: 50, pollMs: 5 });
    assert.deepEqual(seen, { lines: [], status: null });
    assert.ok(Date.now() - began >= 50);
  });
});
