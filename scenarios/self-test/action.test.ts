/**
 * The GitHub Action (action.yml) as a user's workflow runs it: its shell steps, taken from the file, run here
 * with the runner's variables (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) against a corpus config
 * in a folder of its own: the summary gets the diagnosis, the SARIF file and the matrix page are written, the
 * exit code is an output, and the last step fails the job.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { parse } from "yaml";
import { ROOT } from "./harness-process";

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps: Step[] };
};
const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-action-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A step's shell script with the action's inputs put in, as the runner does before bash runs it. */
function script(step: Step, inputs: Record<string, string>): { run: string; env: Record<string, string> } {
  const fill = (t: string) =>
    t.replace(/\$\{\{\s*inputs\.(\w+)\s*\}\}/g, (_m, k: string) => inputs[k] ?? action.inputs[k]?.default ?? "");
  return {
    run: fill(step.run ?? ""),
    env: Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, fill(v)])),
  };
}

describe("action.yml", () => {
  it("takes config, path, proxy, version and fix, and is a composite of shell steps and an upload", () => {
    for (const k of ["config", "path", "proxy", "version", "fix"]) assert.ok(k in action.inputs, k);
    assert.equal(action.inputs.config?.required, true);
    assert.equal(action.runs.using, "composite");
    assert.ok(action.runs.steps.some((s) => s.uses?.startsWith("actions/upload-artifact@")));
  });

  it("its steps, run here on a corpus config: summary, SARIF, matrix page, exit code, a failed job", () => {
    const repo = path.join(dir, "repo");
    mkdirSync(path.join(repo, "deploy"), { recursive: true });
    copyFileSync(
      path.join(ROOT, "corpus", "nginx-grafana-docs", "site.conf"),
      path.join(repo, "deploy", "grafana.conf"),
    );
    const runner = {
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: path.join(dir, "output"),
      GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
      GITHUB_ENV: path.join(dir, "env"),
    };
    for (const f of [runner.GITHUB_OUTPUT, runner.GITHUB_STEP_SUMMARY, runner.GITHUB_ENV]) writeFileSync(f, "");
    const inputs = { config: "deploy/grafana.conf", quick: "true" };
    const bash = (step: Step, extra: Record<string, string> = {}) => {
      const { run, env } = script(step, inputs);
      return spawnSync("bash", ["-e", "-c", run], {
        cwd: repo,
        env: { ...process.env, ...runner, ...env, ...extra, FORCE_COLOR: "0" },
        encoding: "utf8",
      });
    };
    const steps = action.runs.steps;
    const setup = bash(steps.find((s) => s.name?.startsWith("Setup"))!);
    assert.equal(setup.status, 0, setup.stderr);
    const check = bash(steps.find((s) => s.id === "check")!);
    assert.equal(check.status, 0, `${check.stdout}\n${check.stderr}`);
    assert.match(readFileSync(runner.GITHUB_OUTPUT, "utf8"), /^exit-code=1$/m);
    const summary = readFileSync(runner.GITHUB_STEP_SUMMARY, "utf8");
    assert.match(summary, /random-uuid on grafana/);
    assert.match(summary, /B3/);
    for (const f of ["matrix.html", "proxylab.sarif"]) assert.ok(existsSync(path.join(repo, "proxylab-results", f)), f);
    const fail = bash(steps.at(-1)!, { CODE: "1" });
    assert.equal(fail.status, 1);
    assert.match(fail.stdout, /::error::proxylab: deploy\/grafana\.conf: something breaks .*\(exit 1\)/);
    // The summary lists findings with their level, what breaks first.
    assert.match(summary, /\*\*breaks\*\* B3/);
  });
});
