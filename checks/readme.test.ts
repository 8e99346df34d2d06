import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { APP_ALIAS } from "../proxies/adapt";
import { HARNESS_PORTS } from "../stack/plan";
import { SCENARIO_NAMES } from "../scenarios/expectations";

const ROOT = path.join(__dirname, "..");
const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const scripts = (
  JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;
const section = (heading: string) => {
  const start = readme.indexOf(`\n## ${heading}`);
  assert.ok(start >= 0, `README has a "## ${heading}" section`);
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
};

describe("README", () => {
  it("is short enough to read in five minutes", () => {
    assert.ok(readme.split("\n").length <= 150, `README.md has ${readme.split("\n").length} lines`);
  });

  it("names only npm scripts that exist, and .ci/run runs its two commands", () => {
    for (const [, name] of readme.matchAll(/npm run ([a-z][a-z:-]*)/g))
      assert.ok(name! in scripts, `npm run ${name} is a script`);
    const ci = readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    for (const line of ["npm ci", "npm run setup", "npm test"]) {
      assert.ok(readme.includes(line), `README gives ${line}`);
      assert.match(ci, new RegExp(`^${line}$`, "m"), `.ci/run runs ${line}`);
    }
  });

  it("shows every scenario in the matrix at a glance, and no other", () => {
    const glance = section("The matrix at a glance");
    const shown = [...glance.matchAll(/^\| (`[^|]+`) \|/gm)].flatMap((m) =>
      [...m[1]!.matchAll(/`([a-z0-9-]+)`/g)].map((n) => n[1]!),
    );
    assert.deepEqual(shown.sort(), [...SCENARIO_NAMES].sort());
  });

  it("lists folders that exist", () => {
    const firstColumn = [...section("Folders").matchAll(/^\| ([^|]+) \|/gm)].map((m) => m[1]!).join(" ");
    for (const [, folder] of firstColumn.matchAll(/`([a-z-]+)\/`/g))
      assert.ok(existsSync(path.join(ROOT, folder!)), `${folder}/ exists`);
  });

  it("gives a workflow that uses the Action with inputs it has", () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(section("Use it from your own repository"))?.[1];
    assert.ok(block, "a yaml block");
    const workflow = parse(block) as { jobs: Record<string, { steps: Array<{ uses?: string; with?: object }> }> };
    const inputs = (parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as { inputs: object }).inputs;
    const step = Object.values(workflow.jobs)[0]!.steps.find((s) => s.uses?.includes("/proxylab@"));
    assert.ok(step, "a step uses the Action");
    for (const key of Object.keys(step.with ?? {})) assert.ok(key in inputs, `action.yml has input ${key}`);
    assert.ok(block.split("\n").filter(Boolean).length <= 5, "five lines");
  });

  it("says what a config meets in the stack, as the code does it", () => {
    const contract = section("What your config meets in the stack");
    for (const needle of [APP_ALIAS, `idp.test:${HARNESS_PORTS.idp}`, "127.80.", "10.80.", "/etc/letsencrypt/"]) {
      assert.ok(contract.includes(needle), `the section mentions ${needle}`);
    }
  });
});
