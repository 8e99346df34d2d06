import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { browserChoice, enginesOf, engineProjectName, engineProjectNames, splitEngine } from "../lib/browsers";
import { engineDifferences } from "../cli/repro/engines";
import type { MatrixCell } from "../cli/repro/fix";
import { forEngine } from "./engines";
import { expectationFor } from "./expectations";

describe("the browser axis", () => {
  it("Chromium everywhere and Firefox on its share by default; one engine or both everywhere when asked", () => {
    assert.equal(browserChoice({}), "default");
    assert.equal(browserChoice({ PROXYLAB_BROWSER: "Firefox" }), "firefox");
    assert.throws(() => browserChoice({ PROXYLAB_BROWSER: "webkit" }), /use chromium, firefox, all/);
    assert.deepEqual(enginesOf("fixed", "default"), ["chromium", "firefox"]);
    assert.deepEqual(enginesOf("header-inheritance", "default"), ["chromium"]);
    assert.deepEqual(enginesOf("my-config", "all"), ["chromium", "firefox"]);
    assert.deepEqual(engineProjectNames(["fixed@1.30", "x"], "firefox"), ["fixed@1.30@firefox", "x@firefox"]);
  });

  it("a project's name and engine round-trip, versions included", () => {
    for (const name of ["fixed", "fixed@1.30", "my.conf"])
      for (const engine of ["chromium", "firefox"] as const)
        assert.deepEqual(splitEngine(engineProjectName(name, engine)), { project: name, engine });
  });
});

describe("rows per engine", () => {
  it("Chromium's row as it is; Firefox's in its own words, its own overlay, or its own row", () => {
    const row = expectationFor("form-redirect", "apache-naive");
    assert.equal(forEngine("form-redirect", row, "chromium"), row);
    assert.equal(forEngine("form-redirect", row, "firefox").must.ended, "NS_ERROR_CONNECTION_REFUSED");
    const latency = forEngine("sse-open-latency", expectationFor("sse-open-latency", "fixed@1.30"), "firefox");
    assert.equal(latency.bounds?.openMs, undefined, "Firefox opens with the first body byte whatever the proxy does");
    assert.ok(latency.bounds?.openMsWithOpeningComment, "the opening comment still tells");
    assert.deepEqual(expectationFor("split-rest", "split-mixed-content@firefox").must.failedRequests, []);
    assert.equal(expectationFor("split-rest", "split-fixed@firefox"), expectationFor("split-rest", "split-fixed"));
  });
});

describe("where the engines differ, for --browser all", () => {
  const cell = (variant: string, healthy: boolean, bug?: string): MatrixCell => ({
    scenario: "sse-timing",
    variant,
    state: healthy ? "works" : "unexpected",
    healthy,
    diagnosis: bug ? { bug, why: "held", fix: [] } : null,
    problems: [],
  });
  it("names only the scenarios judged differently, with both verdicts", () => {
    assert.deepEqual(engineDifferences([cell("my", true), cell("my@firefox", true)]), []);
    assert.deepEqual(engineDifferences([cell("my@1.26", true), cell("my@1.26@firefox", false, "B11")]), [
      "sse-timing@1.26: Chromium healthy, Firefox B11; Firefox: held",
    ]);
  });
});
