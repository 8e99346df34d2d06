import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { engineProjectNames } from "../lib/browsers";
import { defaultProjects } from "../proxies/projects";
import { selectedProjectNames, listedProjectNames, workersPerProject } from "./selected-projects";

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

describe("the projects of a shard, as Playwright splits the run", () => {
  it("two shards each start only their own stacks, and together every project's", () => {
    const all = engineProjectNames(defaultProjects().map((p) => p.name));
    const shards = ["1/2", "2/2"].map((s) => listedProjectNames(["node", "cli", "test", `--shard=${s}`])!);
    for (const names of shards) assert.ok(names.length > 0 && names.length < all.length, JSON.stringify(names));
    assert.deepEqual(new Set(shards.flat()), new Set(all));
    assert.equal(listedProjectNames(["node", "cli", "test", "--project=fixed"]), null, "no --shard: no listing");
    assert.equal(listedProjectNames(["node", "cli", "test", "--project", "fixed", "--workers", "2"]), null);
    assert.deepEqual(
      new Set(listedProjectNames(["node", "cli", "test", "--grep", "split-rest"])),
      new Set(all.filter((n) => n.startsWith("split-"))),
      "a title filter: the projects with a matching test",
    );
  });
});

describe("each project's share of the workers", () => {
  it("one each when projects outnumber workers; all of them for a run of one project", () => {
    assert.equal(workersPerProject(2, 55), 1);
    assert.equal(workersPerProject(20, 18), 1);
    assert.equal(workersPerProject(20, 3), 6);
    assert.equal(workersPerProject(2, 1), undefined);
  });
});
