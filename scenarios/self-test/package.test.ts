/**
 * The `proxylab` command as a team uses it from its own repository: `npm pack`, `npm install <tarball>` in an
 * empty folder (dependencies from the npm registry), then `npx proxylab setup` and `npx proxylab check
 * ./nginx.conf` there. Reports land in that folder's proxylab-results/; nothing of the harness is left running.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { LABELS } from "../../lib/run";
import { countOf, labeled, leftSince, ROOT } from "./harness-process";

const dir = mkdtempSync(path.join(os.tmpdir(), "proxylab-package-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("the packed proxylab command", { concurrency: 1 }, () => {
  it("installs from its tarball into an empty folder and checks a config there", async () => {
    const before = await labeled(LABELS.harness);
    const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], {
      cwd: ROOT,
      encoding: "utf8",
    }).trim();
    const project = path.join(dir, "my-repo");
    execFileSync("mkdir", ["-p", project]);
    writeFileSync(path.join(project, "package.json"), '{ "name": "my-repo", "private": true }\n');
    const started = Date.now();
    execFileSync("npm", ["install", "--no-audit", "--no-fund", path.join(dir, tarball)], {
      cwd: project,
      stdio: "ignore",
    });
    console.log(`[self-test] npm install of the tarball: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    writeFileSync(
      path.join(project, "nginx.conf"),
      "server {\n    listen 80;\n    server_name shop.example.com;\n    location / {\n        proxy_pass http://127.0.0.1:3000;\n    }\n}\n",
    );
    // The harness's copy goes to a cache of this test's own (XDG_CACHE_HOME), removed with it.
    const env = { XDG_CACHE_HOME: path.join(dir, "cache") };
    const setupStarted = Date.now();
    execFileSync("npx", ["proxylab", "setup"], { cwd: project, env: { ...process.env, ...env }, stdio: "ignore" });
    console.log(`[self-test] npx proxylab setup: ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
    let output: string;
    let code = 0;
    try {
      output = execFileSync(
        "npx",
        ["proxylab", "check", "./nginx.conf", "--quick", "--scenario", "random-uuid", "--sarif", "out.sarif"],
        {
          cwd: project,
          env: { ...process.env, ...env, FORCE_COLOR: "0" },
          encoding: "utf8",
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
    } catch (err) {
      const e = err as { status: number; stdout: string; stderr: string };
      code = e.status;
      output = e.stdout + e.stderr;
    }
    // Plain http on a real name: B3, with the line and the fix; exit 1 (a scenario is not healthy).
    assert.equal(code, 1, output);
    assert.match(output, /random-uuid: broken \(B3\)/);
    assert.match(output, /at \.\/nginx\.conf:2: `listen 80;`/);
    assert.ok(existsSync(path.join(project, "proxylab-results", "matrix.html")), output);
    const sarif = JSON.parse(readFileSync(path.join(project, "out.sarif"), "utf8")) as {
      runs: Array<{ results: unknown[] }>;
    };
    assert.equal(sarif.runs[0]!.results.length, 1);
    assert.equal(countOf(await leftSince(before)), 0, "nothing of the harness left running");
  });
});
