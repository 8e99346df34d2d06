import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { defaultProjects } from "../proxies/projects";

interface Step {
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { strategy?: { matrix?: { variant?: string[] } }; steps: Step[]; needs?: string }>;
}

const workflow = parse(
  readFileSync(path.join(__dirname, "..", ".github", "workflows", "proxy-matrix.yml"), "utf8"),
) as Workflow;

describe("CI workflow .github/workflows/proxy-matrix.yml", () => {
  it("has a job for every project of the default matrix (variants and variant@version), and no other", () => {
    assert.deepEqual(
      [...(workflow.jobs.variant?.strategy?.matrix?.variant ?? [])].sort(),
      defaultProjects()
        .map((v) => v.name)
        .sort(),
    );
  });

  it("runs the README's commands, one project per job, with a blob report", () => {
    const runs = workflow.jobs.variant!.steps.map((s) => s.run ?? "");
    assert.ok(runs.includes("npm ci"));
    assert.ok(runs.includes("npm run setup"));
    const matrixStep = workflow.jobs.variant!.steps.find((s) => s.run?.startsWith("npx playwright test"));
    assert.equal(matrixStep?.run, "npx playwright test --project=${{ matrix.variant }}");
    assert.equal(matrixStep?.env?.PROXYLAB_BLOB_REPORT, "${{ matrix.variant }}");
  });

  it("merges the blob reports with the project's merge config", () => {
    assert.equal(workflow.jobs.merge?.needs, "variant");
    assert.ok(
      workflow.jobs.merge!.steps.some(
        (s) => s.run === "npx playwright merge-reports --config scenarios/reporter/merge.config.ts all-blob-reports",
      ),
    );
  });
});
