import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { selectedProjectNames } from "./selected-projects";

const ALL = ["http1.0-default", "missing-upgrade", "fixed"];

describe("projects selected on the runner's command line", () => {
  it("all without --project; each form of --project as Playwright reads it", () => {
    assert.deepEqual(selectedProjectNames(ALL, ["node", "playwright", "test"]), ALL);
    assert.deepEqual(selectedProjectNames(ALL, ["test", "--project=fixed"]), ["fixed"]);
    assert.deepEqual(selectedProjectNames(ALL, ["test", "--project", "fixed", "missing-upgrade", "--workers=1"]), [
      "missing-upgrade",
      "fixed",
    ]);
    assert.deepEqual(selectedProjectNames(ALL, ["test", "--project=FIXED", "--project=http1.0-*"]), [
      "http1.0-default",
      "fixed",
    ]);
    assert.deepEqual(selectedProjectNames(ALL, ["test", "--project=http1x0-default"]), [], "a dot is literal");
  });
});
