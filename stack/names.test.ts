import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { dockerSafeName, stackResourcePrefix } from "./names";

describe("Docker names of a stack", () => {
  it("turns a project's '@' into something Docker accepts, and prefixes the run", () => {
    assert.equal(dockerSafeName("fixed@1.26"), "fixed-v1.26");
    assert.equal(
      stackResourcePrefix({ runId: "r1", runDir: "/tmp/x", runnerPid: 1 }, "fixed@1.30"),
      "proxylab-r1-fixed-v1.30",
    );
  });
});
