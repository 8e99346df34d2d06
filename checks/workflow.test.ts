import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { engineProjectNames } from "../lib/browsers";
import { defaultProjects } from "../proxies/projects";

interface Step {
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<
    string,
    { strategy?: { matrix?: { variant?: string; shard?: string } }; steps: Step[]; needs?: string | string[] }
  >;
}

const workflow = parse(
  readFileSync(path.join(__dirname, "..", ".github", "workflows", "proxy-matrix.yml"), "utf8"),
) as Workflow;

describe("CI workflow .github/workflows/proxy-matrix.yml", () => {
  it("has a job for every project of the default matrix, listed by the same command CI runs", () => {
    const list = workflow.jobs.projects!.steps.find((s) => s.run?.includes("npm run --silent projects"));
    assert.ok(list, "the projects job lists them with npm run --silent projects");
    assert.equal(workflow.jobs.variant?.needs, "projects");
    assert.equal(workflow.jobs.variant?.strategy?.matrix?.variant, "${{ fromJSON(needs.projects.outputs.names) }}");
    // Each engine's projects as PROXYLAB_BROWSER asks: Chromium's only on GitHub's runners (the workflow's default).
    for (const choice of ["default", "chromium"] as const) {
      const printed = execFileSync("npm", ["run", "--silent", "projects"], {
        cwd: path.join(__dirname, ".."),
        encoding: "utf8",
        env: { ...process.env, PROXYLAB_BROWSER: choice },
      });
      assert.deepEqual(
        JSON.parse(printed),
        engineProjectNames(
          defaultProjects().map((v) => v.name),
          choice,
        ),
        choice,
      );
    }
    assert.equal(workflow.env?.PROXYLAB_BROWSER, "${{ vars.PROXYLAB_BROWSER || 'chromium' }}");
  });

  it("runs the README's commands, one project per job, with a blob report", () => {
    const runs = workflow.jobs.variant!.steps.map((s) => s.run ?? "");
    assert.ok(runs.includes("npm ci"));
    assert.ok(runs.includes("npm run setup"));
    const matrixStep = workflow.jobs.variant!.steps.find((s) => s.run?.startsWith("npx playwright test"));
    assert.equal(matrixStep?.run, "npx playwright test --project=${{ matrix.variant }}");
    assert.equal(matrixStep?.env?.PROXYLAB_BLOB_REPORT, "${{ matrix.variant }}");
  });

  it("can run the matrix as n shards instead (PROXYLAB_SHARDS), each a blob report of the same merge", () => {
    const shard = workflow.jobs.shard!;
    assert.equal(shard.strategy?.matrix?.shard, "${{ fromJSON(needs.projects.outputs.shards) }}");
    const step = shard.steps.find((s) => s.run?.startsWith("npx playwright test"));
    assert.equal(step?.run, "npx playwright test --shard=${{ matrix.shard }}/${{ vars.PROXYLAB_SHARDS }}");
    const printed = execFileSync("npm", ["run", "--silent", "projects", "--", "--shards", "4"], {
      cwd: path.join(__dirname, ".."),
      encoding: "utf8",
    });
    assert.deepEqual(JSON.parse(printed), [1, 2, 3, 4]);
  });

  it("merges the blob reports with the project's merge config", () => {
    assert.deepEqual(workflow.jobs.merge?.needs, ["variant", "shard"]);
    assert.ok(
      workflow.jobs.merge!.steps.some(
        (s) => s.run === "npx playwright merge-reports --config scenarios/reporter/merge.config.ts all-blob-reports",
      ),
    );
  });
});
